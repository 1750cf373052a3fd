//! What can go wrong in a recipe, as one error type the binaries print and turn into an exit
//! code.

use std::path::PathBuf;

/// Why a recipe stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An option the run needs was not given (on a real tenant there are no sample values).
    #[error("{0} is required (run with --help to see the options)")]
    Required(&'static str),
    /// Credentials are set only in part: the recipe will not fall back to the sandbox when it
    /// looks as if a real tenant was meant.
    #[error(
        "{api} credentials are only partly set (missing: {}); set all of them to use a real \
         tenant, or none to use the embedded sandbox",
        missing.join(", ")
    )]
    PartialCredentials {
        /// Which API.
        api: &'static str,
        /// The variables that are not set.
        missing: Vec<&'static str>,
    },
    /// A call to an API failed.
    #[error(transparent)]
    Api(#[from] msp_common::Error),
    /// A ScreenConnect configuration was refused.
    #[error(transparent)]
    Config(#[from] msp_common::ConfigError),
    /// A condition or ordering could not be built.
    #[error("could not build the query: {0}")]
    Query(#[from] connectwise_manage::query::QueryError),
    /// Conditions given on the command line do not parse. Nothing was sent.
    #[error("--conditions {text:?} does not parse: {source}")]
    Conditions {
        /// The text given.
        text: String,
        /// Where and why it does not parse.
        #[source]
        source: connectwise_manage::query::ParseError,
    },
    /// The output could not be written (a full disk, a closed pipe).
    #[error("could not write the output: {0}")]
    Write(#[source] std::io::Error),
    /// A patch could not be built.
    #[error("could not build the patch: {0}")]
    Patch(#[from] connectwise_manage::patch::PatchError),
    /// The options given to a recipe do not make sense (an end before the start, empty notes, …).
    /// Nothing was sent.
    #[error("invalid options: {0}")]
    InvalidOptions(String),
    /// Something the recipe needs does not exist on the tenant.
    #[error("{what} {name:?} was not found{hint}")]
    NotFound {
        /// What was looked for ("board", "status", …).
        what: &'static str,
        /// The name or id asked for.
        name: String,
        /// What to do about it, starting with "; " (or empty).
        hint: String,
    },
    /// A name matched more than one record where exactly one was needed.
    #[error("{what} {name:?} is ambiguous: {count} records match ({candidates})")]
    Ambiguous {
        /// What was looked for.
        what: &'static str,
        /// The name asked for.
        name: String,
        /// How many matched.
        count: usize,
        /// Their ids, comma-separated.
        candidates: String,
    },
    /// The recipe's own settings are inconsistent with the tenant (a rule names a type the board
    /// does not have, …). Nothing was written.
    #[error("{0}")]
    Setup(String),
    /// An input file could not be read.
    #[error("could not read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// An input file was read but its content is unusable.
    #[error("{} is not usable: {message}", path.display())]
    Input {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the position when the JSON is malformed.
        message: String,
    },
    /// An installer URL or command could not be built.
    #[error(transparent)]
    Installer(#[from] screenconnect_api::installer::InstallerError),
    /// A command could not be run on a machine; [`Error::command_may_be_queued`] says whether it
    /// may run anyway.
    #[error(transparent)]
    RunCommand(#[from] screenconnect_api::RunCommandError),
}

impl Error {
    /// The message with its causes, each cause on its own line unless the message already says
    /// it: what a binary prints.
    pub fn report(&self) -> String {
        let mut text = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            let line = cause.to_string();
            if !text.contains(&line) {
                text.push_str("\n  caused by: ");
                text.push_str(&line);
            }
            source = cause.source();
        }
        text
    }

    /// True when a command may be queued on a machine despite the error, so it must not be sent
    /// again blindly.
    pub fn command_may_be_queued(&self) -> bool {
        matches!(self, Error::RunCommand(error) if error.sent() != screenconnect_api::CommandSent::No)
    }
}

/// The exit code of a recipe run: its own on success, failure after printing the error's report
/// on stderr.
pub fn exit_code(outcome: Result<std::process::ExitCode, Error>) -> std::process::ExitCode {
    outcome.unwrap_or_else(|error| {
        eprintln!("error: {}", error.report());
        std::process::ExitCode::FAILURE
    })
}
