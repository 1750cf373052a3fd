//! The audit log: one JSON line per tool call (time, tenant, tool, arguments, outcome, records
//! touched, duration), appended to a file or written to standard error.
//!
//! Arguments are written after [`redact`]: free text a model sends on (note bodies, time entry
//! notes, command lines' output is never logged) is replaced or hashed as configured, and no
//! credential ever reaches a tool's arguments in the first place (they live in the tenants).

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::config::TextPolicy;

/// Argument names whose values are free text and are never logged as they are.
pub const TEXT_ARGUMENTS: [&str; 3] = ["text", "notes", "command"];

/// Argument names that would carry a credential; always redacted, whatever the policy.
pub const SECRET_ARGUMENTS: [&str; 5] = [
    "private_key",
    "client_id",
    "secret",
    "password",
    "authorization",
];

/// How a call ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The tool answered.
    Ok,
    /// The tool was refused before anything was sent (writes or commands off, bad arguments).
    Refused(String),
    /// The API call failed.
    Failed(String),
}

/// One call, as written.
#[derive(Debug)]
pub struct Entry<'a> {
    /// The tenant (`None` when it could not be resolved).
    pub tenant: Option<&'a str>,
    /// The tool.
    pub tool: &'a str,
    /// The arguments as the model sent them (redacted on writing).
    pub arguments: &'a Value,
    /// How it ended.
    pub outcome: &'a Outcome,
    /// Ids of the records read or written.
    pub records: &'a [String],
    /// How long it took.
    pub duration: Duration,
}

/// Where lines go.
pub struct AuditLog {
    sink: Mutex<Box<dyn Write + Send>>,
    text: TextPolicy,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog")
            .field("text", &self.text)
            .finish_non_exhaustive()
    }
}

impl AuditLog {
    /// A log appending to `file`, or to standard error when `None`.
    ///
    /// # Errors
    /// When the file cannot be opened.
    pub fn open(file: Option<&Path>, text: TextPolicy) -> std::io::Result<AuditLog> {
        let sink: Box<dyn Write + Send> = match file {
            Some(path) => Box::new(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)?,
            ),
            None => Box::new(std::io::stderr()),
        };
        Ok(AuditLog {
            sink: Mutex::new(sink),
            text,
        })
    }

    /// Writes one line for `entry`. A failing log is reported on standard error; the call's
    /// answer is not held back by it.
    pub fn write(&self, entry: &Entry<'_>) {
        let (outcome, error) = match entry.outcome {
            Outcome::Ok => ("ok", None),
            Outcome::Refused(why) => ("refused", Some(why.as_str())),
            Outcome::Failed(why) => ("error", Some(why.as_str())),
        };
        let time = OffsetDateTime::now_utc()
            .format(&Rfc3339)
            .unwrap_or_default();
        let mut line = json!({
            "time": time,
            "tenant": entry.tenant,
            "tool": entry.tool,
            "arguments": redact(entry.arguments, self.text),
            "outcome": outcome,
            "records": entry.records,
            "duration_ms": u64::try_from(entry.duration.as_millis()).unwrap_or(u64::MAX),
        });
        if let Some(error) = error {
            line["error"] = Value::from(error);
        }
        let mut sink = self.sink.lock().unwrap_or_else(|p| p.into_inner());
        let written = writeln!(sink, "{line}").and_then(|()| sink.flush());
        if let Err(error) = written {
            eprintln!("mcp-server: cannot write the audit log: {error}");
        }
    }
}

/// `arguments` with secrets redacted and free text redacted or hashed by `policy`, at any depth.
pub fn redact(arguments: &Value, policy: TextPolicy) -> Value {
    match arguments {
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (key, value) in map {
                let lower = key.to_ascii_lowercase();
                let value = if SECRET_ARGUMENTS.contains(&lower.as_str()) {
                    Value::from("[redacted]")
                } else if TEXT_ARGUMENTS.contains(&lower.as_str()) {
                    hide_text(value, policy)
                } else {
                    redact(value, policy)
                };
                out.insert(key.clone(), value);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| redact(v, policy)).collect()),
        other => other.clone(),
    }
}

fn hide_text(value: &Value, policy: TextPolicy) -> Value {
    match (policy, value) {
        (TextPolicy::Hash, Value::String(text)) => {
            let digest = Sha256::digest(text.as_bytes());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            Value::from(format!("sha256:{hex}"))
        }
        (_, Value::Null) => Value::Null,
        _ => Value::from("[redacted]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_redacted_or_hashed_and_secrets_always_redacted() {
        let arguments =
            json!({"ticket_id": 7, "text": "call me at 555", "nested": {"secret": "s3"}});
        let redacted = redact(&arguments, TextPolicy::Redact);
        assert_eq!(redacted["text"], "[redacted]");
        assert_eq!(redacted["nested"]["secret"], "[redacted]");
        assert_eq!(redacted["ticket_id"], 7);
        let hashed = redact(&arguments, TextPolicy::Hash);
        let text = hashed["text"].as_str().unwrap();
        assert!(text.starts_with("sha256:") && text.len() == 71, "{text}");
        assert!(!hashed.to_string().contains("555"));
        assert_eq!(hashed["nested"]["secret"], "[redacted]");
    }
}
