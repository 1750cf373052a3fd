//! Which codebase (`v2025_1/`, `v4_6_release/`) the API lives under: pinned, or discovered through
//! company info and cached, and discovered again when a call suggests it changed.

use tokio::sync::{Mutex, RwLock};

/// The codebase used when discovery is off: on-premise servers serve it, and on cloud it routes to
/// the current release.
pub const DEFAULT_CODEBASE: &str = "v4_6_release/";

/// How the client chooses its codebase.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum CodebaseMode {
    /// Ask `/login/companyinfo/{company}` once, cache the answer, and ask again once when a call
    /// answers 404 in a way that signals a changed codebase.
    #[default]
    Discover,
    /// Always use this codebase (with its trailing slash).
    Fixed(String),
}

/// The cached codebase of one tenant, shared by clones of a client.
#[derive(Debug)]
pub(crate) struct CodebaseCache {
    mode: CodebaseMode,
    current: RwLock<Option<String>>,
    /// Serialises discoveries so that concurrent calls trigger one request, not one each.
    discovering: Mutex<()>,
}

impl CodebaseCache {
    pub(crate) fn new(mode: CodebaseMode) -> Self {
        let current = match &mode {
            CodebaseMode::Fixed(codebase) => Some(codebase.clone()),
            CodebaseMode::Discover => None,
        };
        Self {
            mode,
            current: RwLock::new(current),
            discovering: Mutex::new(()),
        }
    }

    pub(crate) fn discovers(&self) -> bool {
        self.mode == CodebaseMode::Discover
    }

    pub(crate) async fn cached(&self) -> Option<String> {
        self.current.read().await.clone()
    }

    /// The cached codebase, or the one `discover` finds (run by one caller at a time).
    pub(crate) async fn get_or_discover<F, Fut, E>(&self, discover: F) -> Result<String, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<String, E>>,
    {
        if let Some(codebase) = self.cached().await {
            return Ok(codebase);
        }
        let _turn = self.discovering.lock().await;
        if let Some(codebase) = self.cached().await {
            return Ok(codebase);
        }
        let codebase = discover().await?;
        *self.current.write().await = Some(codebase.clone());
        Ok(codebase)
    }

    /// Discovers again if the cache still holds `stale`; returns the codebase now in use.
    pub(crate) async fn refresh<F, Fut, E>(&self, stale: &str, discover: F) -> Result<String, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<String, E>>,
    {
        let _turn = self.discovering.lock().await;
        if let Some(current) = self.cached().await
            && current != stale
        {
            return Ok(current);
        }
        let codebase = discover().await?;
        *self.current.write().await = Some(codebase.clone());
        Ok(codebase)
    }
}
