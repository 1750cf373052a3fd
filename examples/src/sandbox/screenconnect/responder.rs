//! The ScreenConnect sandbox's request handler: the extension's URL, its secret header, the
//! methods the recipes use, and the extension's failure shapes.

use std::sync::{Arc, Mutex, PoisonError};

use screenconnect_api::DEFAULT_EXTENSION_ID;
use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use super::SECRET;
use super::agents::{Machine, SentCommand};

/// What the sandbox holds: the machines and the commands sent to them.
#[derive(Debug, Default)]
pub struct Fleet {
    /// Every session.
    pub machines: Vec<Machine>,
    /// Every command received, oldest first.
    pub commands: Vec<SentCommand>,
    /// The last event id handed out.
    pub event_counter: u64,
}

/// Answers every request from the shared fleet.
pub struct Responder {
    fleet: Arc<Mutex<Fleet>>,
}

impl Responder {
    /// A responder over `fleet`.
    pub fn new(fleet: Arc<Mutex<Fleet>>) -> Self {
        Self { fleet }
    }
}

const JSON: &str = "application/json; charset=utf-8";

/// A failure answered by the extension.
struct Failure {
    status: u16,
    body: String,
    content_type: &'static str,
}

impl Failure {
    /// The extension's `500` with its `{errorType, message, detail}` body.
    fn fault(error_type: &str, message: &str) -> Self {
        Self {
            status: 500,
            body: json!({"errorType": error_type, "message": message, "detail": null}).to_string(),
            content_type: JSON,
        }
    }

    fn no_such_method() -> Self {
        Self::fault("ArgumentException", "Web method does not exist")
    }

    fn bad_arguments() -> Self {
        Self::fault(
            "ArgumentException",
            "Unable to process arguments: expected a JSON array of the method's parameters",
        )
    }

    /// What the session manager answers for an id it does not know.
    fn no_session() -> Self {
        Self::fault(
            "NullReferenceException",
            "Object reference not set to an instance of an object.",
        )
    }
}

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut fleet = self.fleet.lock().unwrap_or_else(PoisonError::into_inner);
        match handle(&mut fleet, request) {
            Ok(None) => ResponseTemplate::new(200),
            Ok(Some(body)) => ResponseTemplate::new(200).set_body_raw(body.to_string(), JSON),
            Err(failure) => ResponseTemplate::new(failure.status)
                .set_body_raw(failure.body, failure.content_type),
        }
    }
}

fn handle(fleet: &mut Fleet, request: &Request) -> Result<Option<Value>, Failure> {
    let segments: Vec<&str> = request
        .url
        .path()
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let [app, extension, service, method] = segments.as_slice() else {
        return Err(not_found_page());
    };
    if !app.eq_ignore_ascii_case("App_Extensions")
        || !extension.eq_ignore_ascii_case(DEFAULT_EXTENSION_ID)
        || !service.eq_ignore_ascii_case("Service.ashx")
    {
        return Err(not_found_page());
    }
    let secret = request
        .headers
        .get("CTRLAuthHeader")
        .and_then(|value| value.to_str().ok());
    if secret != Some(SECRET) {
        return Err(Failure {
            status: 401,
            body: "Unauthorized".to_owned(),
            content_type: "text/plain; charset=utf-8",
        });
    }
    if request.method.as_str() != "POST" {
        return Err(Failure::no_such_method());
    }
    let args: Value =
        serde_json::from_slice(&request.body).map_err(|_| Failure::bad_arguments())?;
    let arg = |index: usize, name: &str| -> Option<Value> {
        match &args {
            Value::Array(items) => items.get(index).cloned(),
            Value::Object(map) => map
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.clone()),
            _ => None,
        }
    };
    let text =
        |index: usize, name: &str| arg(index, name).and_then(|v| v.as_str().map(str::to_owned));
    match *method {
        "GetSessionsByName" => {
            let name = text(0, "sessionName").ok_or_else(Failure::bad_arguments)?;
            let sessions: Vec<Value> = fleet
                .machines
                .iter()
                .filter(|machine| machine.name().eq_ignore_ascii_case(&name))
                .map(|machine| machine.session.clone())
                .collect();
            Ok(Some(Value::Array(sessions)))
        }
        "GetSessionBySessionID" => {
            let id = text(0, "sessionID").ok_or_else(Failure::bad_arguments)?;
            let sessions: Vec<Value> = find(fleet, &id)
                .map(|machine| machine.session.clone())
                .into_iter()
                .collect();
            Ok(Some(Value::Array(sessions)))
        }
        "GetSessionDetailsBySessionID" => {
            let id = text(0, "sessionID").ok_or_else(Failure::bad_arguments)?;
            let machine = find(fleet, &id).ok_or_else(Failure::no_session)?;
            Ok(Some(
                json!({"Session": machine.session, "Events": machine.events}),
            ))
        }
        "SendCommandToSession" => {
            let (Some(id), Some(command)) = (positional(&args, 0), positional(&args, 1)) else {
                return Err(Failure::bad_arguments());
            };
            let mut counter = fleet.event_counter;
            let machine = find_mut(fleet, &id).ok_or_else(Failure::no_session)?;
            machine.receive_command(&command, &mut counter);
            let sent = SentCommand {
                session_id: machine.id().to_owned(),
                session_name: machine.name().to_owned(),
                text: command,
            };
            fleet.event_counter = counter;
            fleet.commands.push(sent);
            Ok(None)
        }
        "UpdateSessionCustomProperties" => {
            let (Some(id), Some(Value::Array(values))) = (
                positional(&args, 0),
                args.as_array().and_then(|a| a.get(1)).cloned(),
            ) else {
                return Err(Failure::bad_arguments());
            };
            let machine = find_mut(fleet, &id).ok_or_else(Failure::no_session)?;
            machine.session["CustomPropertyValues"] = Value::Array(values);
            Ok(None)
        }
        _ => Err(Failure::no_such_method()),
    }
}

/// A positional string argument; writes take only the array form.
fn positional(args: &Value, index: usize) -> Option<String> {
    args.as_array()?.get(index)?.as_str().map(str::to_owned)
}

fn find<'a>(fleet: &'a Fleet, id: &str) -> Option<&'a Machine> {
    fleet
        .machines
        .iter()
        .find(|machine| machine.id().eq_ignore_ascii_case(id))
}

fn find_mut<'a>(fleet: &'a mut Fleet, id: &str) -> Option<&'a mut Machine> {
    fleet
        .machines
        .iter_mut()
        .find(|machine| machine.id().eq_ignore_ascii_case(id))
}

/// What IIS answers when the extension is not installed under that id.
fn not_found_page() -> Failure {
    Failure {
        status: 404,
        body: "<html><body><h1>404 - File or directory not found.</h1></body></html>".to_owned(),
        content_type: "text/html; charset=utf-8",
    }
}
