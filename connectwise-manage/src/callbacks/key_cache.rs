//! A small bounded cache of signing keys per key URL.
//!
//! Keys are fetched over the network for each distinct key URL; caching avoids one extra round
//! trip per callback. The bound keeps a stream of distinct URLs from growing memory: when full,
//! the entry inserted longest ago is dropped. No clock is involved; stale keys are detected by a
//! failed verification, which triggers a refetch.

use std::collections::{HashMap, VecDeque};
use std::fmt;

use secrecy::SecretString;

/// Signing keys by key URL, holding at most `capacity` entries.
pub(crate) struct KeyCache {
    capacity: usize,
    keys: HashMap<String, SecretString>,
    /// Key URLs from oldest to newest insertion; always the same set as `keys`' keys.
    order: VecDeque<String>,
}

impl KeyCache {
    /// An empty cache; a capacity of zero disables caching.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            keys: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    pub(crate) fn get(&self, key_url: &str) -> Option<SecretString> {
        self.keys.get(key_url).cloned()
    }

    /// Stores (or replaces) the key for `key_url`, making it the newest entry.
    pub(crate) fn insert(&mut self, key_url: String, key: SecretString) {
        if self.capacity == 0 {
            return;
        }
        if self.keys.insert(key_url.clone(), key).is_some() {
            self.order.retain(|existing| existing != &key_url);
        }
        self.order.push_back(key_url);
        while self.order.len() > self.capacity {
            if let Some(oldest) = self.order.pop_front() {
                self.keys.remove(&oldest);
            }
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    pub(crate) fn clear(&mut self) {
        self.keys.clear();
        self.order.clear();
    }
}

impl fmt::Debug for KeyCache {
    // Key URLs unlock keys, so only the size is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyCache")
            .field("capacity", &self.capacity)
            .field("len", &self.keys.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn key(text: &str) -> SecretString {
        SecretString::from(text)
    }

    #[test]
    fn evicts_the_oldest_insertion_when_full() {
        let mut cache = KeyCache::new(2);
        cache.insert("a".into(), key("1"));
        cache.insert("b".into(), key("2"));
        cache.insert("a".into(), key("3"));
        cache.insert("c".into(), key("4"));
        assert!(cache.get("b").is_none());
        assert_eq!(
            cache.get("a").map(|k| k.expose_secret().to_owned()),
            Some("3".to_owned())
        );
        assert!(cache.get("c").is_some());
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.order.len(), 2);
    }

    #[test]
    fn zero_capacity_caches_nothing_and_debug_hides_urls() {
        let mut cache = KeyCache::new(0);
        cache.insert("https://h/?id=secret".into(), key("1"));
        assert_eq!(cache.len(), 0);
        let mut cache = KeyCache::new(1);
        cache.insert("https://h/?id=secret".into(), key("k"));
        let debug = format!("{cache:?}");
        assert!(!debug.contains("secret"), "{debug}");
        cache.clear();
        assert_eq!(cache.len(), 0);
    }
}
