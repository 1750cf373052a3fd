//! The state file: what the servers changed, kept across restarts.
//!
//! One JSON file holds a section per server (`manage`, `screenconnect`). A server hands its whole
//! section over after every change and the file is rewritten atomically: written to a temporary
//! file next to it, flushed, then renamed over it, so a crash leaves the old state or the new
//! one, never half of each.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;

/// A state file shared by the servers of one sandbox.
#[derive(Debug)]
pub struct StateFile {
    path: PathBuf,
    sections: Mutex<BTreeMap<String, Value>>,
}

impl StateFile {
    /// Opens `path`, reading the state it holds; a missing file is an empty state.
    ///
    /// # Errors
    /// When the file exists but cannot be read or is not a JSON object.
    pub fn open(path: impl Into<PathBuf>) -> io::Result<Arc<StateFile>> {
        let path = path.into();
        let sections = match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|error| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{} is not a sandbox state file: {error}", path.display()),
                )
            })?,
            Err(error) if error.kind() == io::ErrorKind::NotFound => BTreeMap::new(),
            Err(error) => return Err(error),
        };
        Ok(Arc::new(StateFile {
            path,
            sections: Mutex::new(sections),
        }))
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved section `name`, if any.
    pub fn section(&self, name: &str) -> Option<Value> {
        self.lock().get(name).cloned()
    }

    /// Replaces section `name` and rewrites the file atomically.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn save(&self, name: &str, value: Value) -> io::Result<()> {
        let mut sections = self.lock();
        sections.insert(name.to_owned(), value);
        let text = serde_json::to_vec_pretty(&*sections).map_err(io::Error::other)?;
        let mut temporary = self.path.clone().into_os_string();
        temporary.push(".tmp");
        let temporary = PathBuf::from(temporary);
        {
            let mut file = fs::File::create(&temporary)?;
            file.write_all(&text)?;
            file.sync_all()?;
        }
        fs::rename(&temporary, &self.path)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Value>> {
        self.sections.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_survive_reopening() {
        let directory =
            std::env::temp_dir().join(format!("msp-sandbox-state-{}", std::process::id()));
        fs::create_dir_all(&directory).expect("temp dir");
        let path = directory.join("state.json");
        let _ = fs::remove_file(&path);
        let state = StateFile::open(&path).expect("opens a missing file");
        assert_eq!(state.section("manage"), None);
        state
            .save("manage", serde_json::json!({"n": 1}))
            .expect("saved");
        state
            .save("screenconnect", serde_json::json!([2]))
            .expect("saved");
        let again = StateFile::open(&path).expect("reopened");
        assert_eq!(again.section("manage"), Some(serde_json::json!({"n": 1})));
        assert_eq!(again.section("screenconnect"), Some(serde_json::json!([2])));
        assert!(!directory.join("state.json.tmp").exists());
        fs::write(&path, b"not json").expect("written");
        assert!(StateFile::open(&path).is_err());
        let _ = fs::remove_dir_all(&directory);
    }
}
