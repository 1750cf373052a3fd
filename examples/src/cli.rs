//! A small command-line reader for the recipe binaries: `--flag`, `--name value` and
//! `--name=value`, with anything left over refused so that a typo never silently changes what a
//! recipe does.

/// A command line that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// An argument no option claimed.
    #[error("unknown argument {0:?} (run with --help to see the options)")]
    Unknown(String),
    /// An option given without its value.
    #[error("{0} needs a value")]
    MissingValue(String),
    /// An option given twice.
    #[error("{0} was given more than once")]
    Repeated(String),
    /// A required option that is missing.
    #[error("{0} is required (run with --help to see the options)")]
    Required(String),
    /// A value that cannot be used.
    #[error("invalid value {value:?} for {name}: {reason}")]
    Invalid {
        /// The option.
        name: String,
        /// The value given.
        value: String,
        /// Why it was refused.
        reason: String,
    },
}

/// The arguments not yet claimed by an option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    rest: Vec<String>,
}

impl Args {
    /// The process's arguments, without the program name.
    pub fn from_env() -> Self {
        Self::new(std::env::args().skip(1))
    }

    /// The given arguments.
    pub fn new<I, S>(args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            rest: args.into_iter().map(Into::into).collect(),
        }
    }

    /// The process's arguments, or `None` after printing `help` when `--help` or `-h` was given.
    pub fn from_env_or_help(help: &str) -> Option<Self> {
        let args = Self::from_env();
        if args.wants_help() {
            println!("{help}");
            None
        } else {
            Some(args)
        }
    }

    /// Whether `--help` or `-h` was given.
    pub fn wants_help(&self) -> bool {
        self.rest.iter().any(|arg| arg == "--help" || arg == "-h")
    }

    /// Claims a flag such as `--apply`; true when it was given.
    ///
    /// # Errors
    /// [`CliError::Repeated`] when it was given twice; [`CliError::Invalid`] for `--flag=value`.
    pub fn flag(&mut self, name: &str) -> Result<bool, CliError> {
        if let Some(arg) = self
            .rest
            .iter()
            .find(|arg| arg.starts_with(&format!("{name}=")))
        {
            return Err(CliError::Invalid {
                name: name.to_owned(),
                value: arg[name.len() + 1..].to_owned(),
                reason: "this flag takes no value".to_owned(),
            });
        }
        let count = self.rest.iter().filter(|arg| *arg == name).count();
        self.rest.retain(|arg| arg != name);
        match count {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(CliError::Repeated(name.to_owned())),
        }
    }

    /// Claims `--name value` or `--name=value`.
    ///
    /// # Errors
    /// [`CliError::MissingValue`] when the value is missing, [`CliError::Repeated`] when the
    /// option was given twice.
    pub fn value(&mut self, name: &str) -> Result<Option<String>, CliError> {
        let mut values = self.values(name)?;
        if values.len() > 1 {
            return Err(CliError::Repeated(name.to_owned()));
        }
        Ok(values.pop())
    }

    /// Claims every `--name value` or `--name=value` of an option that may be repeated, in order.
    ///
    /// # Errors
    /// [`CliError::MissingValue`] when a value is missing.
    pub fn values(&mut self, name: &str) -> Result<Vec<String>, CliError> {
        let prefix = format!("{name}=");
        let mut found = Vec::new();
        let mut index = 0;
        while index < self.rest.len() {
            let arg = &self.rest[index];
            if arg == name {
                if index + 1 >= self.rest.len() || self.rest[index + 1].starts_with("--") {
                    return Err(CliError::MissingValue(name.to_owned()));
                }
                found.push(self.rest.remove(index + 1));
                self.rest.remove(index);
            } else if let Some(value) = arg.strip_prefix(&prefix) {
                found.push(value.to_owned());
                self.rest.remove(index);
            } else {
                index += 1;
            }
        }
        Ok(found)
    }

    /// Claims `--name value`, which must be present.
    ///
    /// # Errors
    /// As [`Args::value`], and [`CliError::Required`] when it is missing.
    pub fn required(&mut self, name: &str) -> Result<String, CliError> {
        self.value(name)?
            .ok_or_else(|| CliError::Required(name.to_owned()))
    }

    /// Claims `--name value` and converts it with `parse`, whose error message explains what
    /// was expected.
    ///
    /// # Errors
    /// As [`Args::value`], and [`CliError::Invalid`] when `parse` refuses the value.
    pub fn parsed<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, CliError> {
        let Some(value) = self.value(name)? else {
            return Ok(None);
        };
        parse(&value).map(Some).map_err(|reason| CliError::Invalid {
            name: name.to_owned(),
            value,
            reason,
        })
    }

    /// Checks that every argument was claimed.
    ///
    /// # Errors
    /// [`CliError::Unknown`] naming the first argument left over.
    pub fn finish(self) -> Result<(), CliError> {
        match self.rest.into_iter().next() {
            Some(arg) => Err(CliError::Unknown(arg)),
            None => Ok(()),
        }
    }
}

/// The exit code of a recipe run: its own on success, failure after printing the error's report.
pub fn exit_code(outcome: Result<std::process::ExitCode, crate::Error>) -> std::process::ExitCode {
    outcome.unwrap_or_else(|error| {
        eprintln!("error: {}", error.report());
        std::process::ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_flags_and_leftovers() {
        let mut args = Args::new(["--board", "Help Desk", "--apply", "--page-size=5", "--oops"]);
        assert_eq!(args.value("--board"), Ok(Some("Help Desk".to_owned())));
        assert_eq!(args.flag("--apply"), Ok(true));
        assert_eq!(
            args.parsed("--page-size", |v| v
                .parse::<u32>()
                .map_err(|e| e.to_string())),
            Ok(Some(5))
        );
        assert_eq!(args.flag("--execute"), Ok(false));
        assert_eq!(args.finish(), Err(CliError::Unknown("--oops".to_owned())));
    }

    #[test]
    fn mistakes_are_named() {
        assert_eq!(
            Args::new(["--board"]).value("--board"),
            Err(CliError::MissingValue("--board".to_owned()))
        );
        assert_eq!(
            Args::new(["--board", "--apply"]).value("--board"),
            Err(CliError::MissingValue("--board".to_owned()))
        );
        assert_eq!(
            Args::new(["--apply", "--apply"]).flag("--apply"),
            Err(CliError::Repeated("--apply".to_owned()))
        );
        assert_eq!(
            Args::new(["--a=1", "--a", "2"]).value("--a"),
            Err(CliError::Repeated("--a".to_owned()))
        );
        assert!(matches!(
            Args::new(["--apply=yes"]).flag("--apply"),
            Err(CliError::Invalid { .. })
        ));
        assert_eq!(
            Args::new(["--status", "New", "--x", "--status=Reopened"]).values("--status"),
            Ok(vec!["New".to_owned(), "Reopened".to_owned()])
        );
        assert_eq!(
            Args::new(Vec::<String>::new()).required("--ticket"),
            Err(CliError::Required("--ticket".to_owned()))
        );
    }
}
