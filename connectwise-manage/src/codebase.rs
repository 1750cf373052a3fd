//! Which codebase (`v2025_1/`, `v4_6_release/`) the API lives under: pinned, or discovered through
//! company info and cached, and discovered again when a call suggests it changed.

use std::sync::{Arc, PoisonError, RwLock};

use msp_common::{Error, url::Url};
use tokio::sync::Mutex;

use crate::site::Site;

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

/// A codebase and the API base URL under it, built once per codebase rather than per request.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ApiBase {
    /// The codebase, with its trailing slash.
    pub(crate) codebase: String,
    /// `{origin}{codebase}apis/3.0/`.
    pub(crate) url: Url,
}

/// The cached codebase of one tenant, shared by clones of a client.
#[derive(Debug)]
pub(crate) struct CodebaseCache {
    mode: CodebaseMode,
    site: Site,
    /// Read by every request; a plain lock, held only to clone the `Arc`.
    current: RwLock<Option<Arc<ApiBase>>>,
    /// Serialises discoveries so that concurrent calls trigger one request, not one each.
    discovering: Mutex<()>,
}

impl CodebaseCache {
    pub(crate) fn new(mode: CodebaseMode, site: Site) -> Self {
        Self {
            mode,
            site,
            current: RwLock::new(None),
            discovering: Mutex::new(()),
        }
    }

    pub(crate) fn discovers(&self) -> bool {
        self.mode == CodebaseMode::Discover
    }

    fn cached(&self) -> Option<Arc<ApiBase>> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn store(&self, codebase: String) -> Result<Arc<ApiBase>, Error> {
        let url = self.site.api_base(&codebase)?;
        let base = Arc::new(ApiBase { codebase, url });
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Some(base.clone());
        Ok(base)
    }

    /// The cached codebase, or the one `discover` finds (run by one caller at a time).
    pub(crate) async fn get_or_discover<F, Fut>(&self, discover: F) -> Result<Arc<ApiBase>, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<String, Error>>,
    {
        if let Some(base) = self.cached() {
            return Ok(base);
        }
        if let CodebaseMode::Fixed(codebase) = &self.mode {
            return self.store(codebase.clone());
        }
        let _turn = self.discovering.lock().await;
        if let Some(base) = self.cached() {
            return Ok(base);
        }
        self.store(discover().await?)
    }

    /// Discovers again if the cache still holds `stale`; returns the codebase now in use.
    pub(crate) async fn refresh<F, Fut>(
        &self,
        stale: &ApiBase,
        discover: F,
    ) -> Result<Arc<ApiBase>, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<String, Error>>,
    {
        let _turn = self.discovering.lock().await;
        if let Some(current) = self.cached()
            && current.codebase != stale.codebase
        {
            return Ok(current);
        }
        self.store(discover().await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        Site::parse("https://cw.example.com").unwrap()
    }

    #[tokio::test]
    async fn a_fixed_codebase_is_built_once_and_never_discovered() {
        let cache = CodebaseCache::new(CodebaseMode::Fixed("v2025_1/".into()), site());
        let first = cache
            .get_or_discover(|| async { panic!("a fixed codebase is never discovered") })
            .await
            .unwrap();
        assert_eq!(
            first.url.as_str(),
            "https://cw.example.com/v2025_1/apis/3.0/"
        );
        let second = cache
            .get_or_discover(|| async { panic!("a fixed codebase is never discovered") })
            .await
            .unwrap();
        assert!(Arc::ptr_eq(&first, &second));
    }

    #[tokio::test]
    async fn a_refresh_replaces_the_base_url_once() {
        let cache = CodebaseCache::new(CodebaseMode::Discover, site());
        let old = cache
            .get_or_discover(|| async { Ok("v2024_1/".to_owned()) })
            .await
            .unwrap();
        let fresh = cache
            .refresh(&old, || async { Ok("v2025_1/".to_owned()) })
            .await
            .unwrap();
        assert_eq!(
            fresh.url.as_str(),
            "https://cw.example.com/v2025_1/apis/3.0/"
        );
        // A second caller holding the stale base gets the fresh one without discovering again.
        let again = cache
            .refresh(&old, || async { panic!("already refreshed") })
            .await
            .unwrap();
        assert!(Arc::ptr_eq(&fresh, &again));
        let cached = cache
            .get_or_discover(|| async { panic!("cached") })
            .await
            .unwrap();
        assert_eq!(cached.codebase, "v2025_1/");
    }
}
