//! Both servers started together from one seed, as the `sandbox` binary runs them: session names
//! on the ScreenConnect side match configuration names on the Manage side.

use std::io;
use std::path::PathBuf;

use crate::faults::FaultOptions;
use crate::manage::{ManageOptions, ManageServer};
use crate::screenconnect::{ScreenConnectOptions, ScreenConnectServer};
use crate::seed::SeedOptions;
use crate::state::StateFile;

/// Options for [`Sandbox::start`].
#[derive(Clone, Debug, Default)]
pub struct SandboxOptions {
    /// The data both servers are seeded from.
    pub seed: SeedOptions,
    /// Faults both servers inject.
    pub faults: FaultOptions,
    /// The Manage server's port (`0` for a free one).
    pub manage_port: u16,
    /// The ScreenConnect server's port (`0` for a free one).
    pub screenconnect_port: u16,
    /// Where the servers keep their state (written atomically after every change); `None` keeps
    /// it in memory only.
    pub state_file: Option<PathBuf>,
}

/// Both servers, running. They stop when the value is dropped.
#[derive(Debug)]
pub struct Sandbox {
    /// The ConnectWise Manage server.
    pub manage: ManageServer,
    /// The ScreenConnect server.
    pub screenconnect: ScreenConnectServer,
}

impl Sandbox {
    /// Starts both servers.
    ///
    /// # Errors
    /// When a port cannot be bound or the state file cannot be read.
    pub async fn start(options: SandboxOptions) -> io::Result<Sandbox> {
        let state = options
            .state_file
            .as_ref()
            .map(StateFile::open)
            .transpose()?;
        let manage = ManageServer::start(ManageOptions {
            seed: options.seed.clone(),
            faults: options.faults.clone(),
            port: options.manage_port,
            state: state.clone(),
            ..ManageOptions::default()
        })
        .await?;
        let screenconnect = ScreenConnectServer::start(ScreenConnectOptions {
            seed: options.seed.clone(),
            faults: options.faults.clone(),
            port: options.screenconnect_port,
            state,
            ..ScreenConnectOptions::default()
        })
        .await?;
        Ok(Sandbox {
            manage,
            screenconnect,
        })
    }
}
