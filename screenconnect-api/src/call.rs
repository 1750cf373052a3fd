//! One call to a web method of the extension: its name, its arguments and whether it is safe to
//! repeat. Typed methods build these; [`Call::read`] and [`Call::write`] build them for methods
//! this crate does not wrap.

use std::borrow::Cow;
use std::fmt;

use msp_common::{Error, Idempotency};
use serde_json::Value;

use crate::config::ReadArgs;
use crate::methods::known_idempotency;

/// The longest method name accepted (real names are about 30 characters).
const MAX_METHOD_LEN: usize = 128;

/// How a call's arguments are held until the request is built.
#[derive(Clone, PartialEq)]
enum Args {
    /// The parameters of a typed read, by C# parameter name in declaration order; encoded as an
    /// array or an object according to [`ReadArgs`].
    Params(Vec<(&'static str, Value)>),
    /// Sent exactly as given.
    Raw(Value),
}

/// A web method call: `POST …/Service.ashx/<method>` with a JSON body.
///
/// `Debug` shows the method and idempotency, never the arguments: they may be command text,
/// notes or chat messages.
#[derive(Clone, PartialEq)]
pub struct Call {
    method: Cow<'static, str>,
    args: Args,
    idempotency: Idempotency,
}

impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("method", &self.method)
            .field("idempotency", &self.idempotency)
            .finish_non_exhaustive()
    }
}

impl Call {
    /// A call of `method` with `args` sent as given (usually a positional JSON array).
    ///
    /// `idempotency` decides retries: [`Idempotency::Safe`] calls are repeated after gateway
    /// errors and timeouts, [`Idempotency::NonIdempotent`] ones only when the server certainly did
    /// not act (429, 503 with `Retry-After`, no connection). Anything but `Safe` is refused in
    /// read-only mode.
    ///
    /// A method this crate knows ([`known_idempotency`]) keeps its own idempotency whatever
    /// `idempotency` says: `Call::read("SendCommandToSession", …)` is still a write. For any other
    /// method the caller's word is taken; [`Client::call_write`](crate::Client::call_write) is
    /// the default way to call one.
    pub fn new(
        method: impl Into<Cow<'static, str>>,
        args: Value,
        idempotency: Idempotency,
    ) -> Self {
        let method = method.into();
        let idempotency = known_idempotency(&method).unwrap_or(idempotency);
        Self {
            method,
            args: Args::Raw(args),
            idempotency,
        }
    }

    /// A call that only reads ([`Idempotency::Safe`]).
    pub fn read(method: impl Into<Cow<'static, str>>, args: Value) -> Self {
        Self::new(method, args, Idempotency::Safe)
    }

    /// A call that changes state and must not run twice ([`Idempotency::NonIdempotent`]).
    pub fn write(method: impl Into<Cow<'static, str>>, args: Value) -> Self {
        Self::new(method, args, Idempotency::NonIdempotent)
    }

    /// A typed read whose parameters are encoded according to [`ReadArgs`].
    pub(crate) fn typed_read(method: &'static str, params: Vec<(&'static str, Value)>) -> Self {
        Self {
            method: Cow::Borrowed(method),
            args: Args::Params(params),
            idempotency: Idempotency::Safe,
        }
    }

    /// A typed write with positional arguments.
    pub(crate) fn typed_write(method: &'static str, args: Vec<Value>) -> Self {
        Self::write(method, Value::Array(args))
    }

    /// The web method name.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// Whether the call may be repeated.
    pub fn idempotency(&self) -> Idempotency {
        self.idempotency
    }

    /// Whether the call changes state (anything but [`Idempotency::Safe`]).
    pub fn changes_state(&self) -> bool {
        self.idempotency != Idempotency::Safe
    }

    /// The JSON body sent for this call when reads are encoded as `read_args`.
    pub fn body(&self, read_args: ReadArgs) -> Value {
        match &self.args {
            Args::Raw(value) => value.clone(),
            Args::Params(params) => match read_args {
                ReadArgs::Positional => {
                    Value::Array(params.iter().map(|(_, value)| value.clone()).collect())
                }
                ReadArgs::Named => Value::Object(
                    params
                        .iter()
                        .map(|(name, value)| ((*name).to_owned(), value.clone()))
                        .collect(),
                ),
            },
        }
    }

    /// Checks that the method name can be put in the URL path as it is.
    pub(crate) fn check_method(&self) -> Result<(), Error> {
        let name = self.method.as_ref();
        let valid = !name.is_empty()
            && name.len() <= MAX_METHOD_LEN
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if valid {
            Ok(())
        } else {
            Err(Error::build(
                "call",
                format!(
                    "web method name {:?} is not a method name (letters, digits and '_', at most \
                     {MAX_METHOD_LEN} characters)",
                    name.chars().take(64).collect::<String>()
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn typed_reads_encode_both_ways() {
        let call = Call::typed_read("GetSessionsByName", vec![("sessionName", json!("PC-01"))]);
        assert_eq!(call.body(ReadArgs::Positional), json!(["PC-01"]));
        assert_eq!(call.body(ReadArgs::Named), json!({"sessionName": "PC-01"}));
        assert!(!call.changes_state());
    }

    #[test]
    fn raw_calls_are_sent_as_given() {
        let call = Call::write("SendMessageToSession", json!(["id", "host", "hi"]));
        assert_eq!(call.body(ReadArgs::Named), json!(["id", "host", "hi"]));
        assert_eq!(call.idempotency(), Idempotency::NonIdempotent);
        assert!(call.changes_state());
        assert!(!format!("{call:?}").contains("hi\""));
    }

    #[test]
    fn a_known_write_stays_a_write_whatever_the_caller_declares() {
        for method in [
            "SendCommandToSession",
            "sendcommandtosession",
            "CreateSession",
        ] {
            let call = Call::read(method.to_owned(), json!([]));
            assert_eq!(call.idempotency(), Idempotency::NonIdempotent, "{method}");
            assert!(call.changes_state(), "{method}");
            let call = Call::new(method.to_owned(), json!([]), Idempotency::Safe);
            assert!(call.changes_state(), "{method}");
        }
        // A known read stays a read, and an unknown method keeps what the caller said.
        assert!(!Call::write("GetSessionsByName", json!([])).changes_state());
        assert!(!Call::read("GetToolboxItems", json!([])).changes_state());
        assert!(Call::write("GetToolboxItems", json!([])).changes_state());
    }

    #[test]
    fn method_names_are_checked() {
        assert!(
            Call::read("GetSessionsByFilter", json!([]))
                .check_method()
                .is_ok()
        );
        for bad in [
            "",
            "Get/../Secret",
            "Get Sessions",
            "Métode",
            &"x".repeat(129),
        ] {
            let error = Call::read(bad.to_owned(), json!([]))
                .check_method()
                .unwrap_err();
            assert!(matches!(error, Error::Build { .. }), "{bad:?}");
        }
    }
}
