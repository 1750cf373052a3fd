//! What a simulated agent does with a command: reads the directive lines (`#!ps`,
//! `#timeout=<ms>`, `#maxlength=<chars>`), runs each line in a small shell model, and reports the
//! output as the real agent does: killed at the timeout (default 10 s) with `Killed after N
//! milliseconds.`, cut at the output limit (default 5000 characters) with `Truncated output at N
//! characters.`.
//!
//! The shell model knows a few commands (`hostname`, `whoami`, `ipconfig`, `uname`, `uptime`,
//! `Get-Service`, `echo` / `Write-Output` with the exit-status variables expanded, `exit N`, and
//! the sleeps `sleep N`, `Start-Sleep`, `timeout /t N`, `ping -n N`, which take simulated time).
//! Anything else fails the way the shell reports an unknown command, with its exit status.

use std::time::Duration;

use super::fleet::Machine;

/// The agent's timeout when the command sets none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// The agent's output limit when the command sets none.
pub const DEFAULT_MAX_LENGTH: usize = 5000;

/// The shell a command runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    /// `cmd.exe`: the default on Windows.
    Cmd,
    /// PowerShell, selected by `#!ps`.
    PowerShell,
    /// `sh`: the default on macOS and Linux.
    Sh,
}

/// What running a command produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The `RanCommand` event's text.
    pub output: String,
    /// How long the command ran (at most its timeout).
    pub elapsed: Duration,
}

/// Runs `text` on `machine`.
pub fn run(text: &str, machine: &Machine) -> Outcome {
    let mut lines = text.lines().peekable();
    let mut timeout = DEFAULT_TIMEOUT;
    let mut max_length = DEFAULT_MAX_LENGTH;
    let mut shell = if machine.is_windows() {
        Shell::Cmd
    } else {
        Shell::Sh
    };
    while let Some(line) = lines.peek() {
        let directive = line.trim().to_ascii_lowercase();
        if directive == "#!ps" {
            shell = Shell::PowerShell;
        } else if let Some(ms) = directive.strip_prefix("#timeout=") {
            if let Ok(ms) = ms.trim().parse::<u64>() {
                timeout = Duration::from_millis(ms);
            }
        } else if let Some(chars) = directive.strip_prefix("#maxlength=") {
            if let Ok(chars) = chars.trim().parse::<usize>() {
                max_length = chars;
            }
        } else {
            break;
        }
        lines.next();
    }
    let newline = if machine.is_windows() { "\r\n" } else { "\n" };
    let mut state = ShellState {
        shell,
        machine,
        status: 0,
        success: true,
        output: String::new(),
        newline,
    };
    let mut elapsed = Duration::ZERO;
    let mut killed = false;
    for line in lines {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let step = state.line(line);
        elapsed += step.takes;
        if elapsed > timeout {
            elapsed = timeout;
            killed = true;
            break;
        }
        if step.exits {
            break;
        }
    }
    let mut output = state.output;
    if output.encode_utf16().count() > max_length {
        output = cut_utf16(&output, max_length);
        end_line(&mut output, newline);
        output.push_str(&format!("Truncated output at {max_length} characters."));
        output.push_str(newline);
    }
    if killed {
        end_line(&mut output, newline);
        output.push_str(&format!(
            "Killed after {} milliseconds.",
            timeout.as_millis()
        ));
        output.push_str(newline);
    }
    Outcome { output, elapsed }
}

fn end_line(output: &mut String, newline: &str) {
    if !output.is_empty() && !output.ends_with('\n') {
        output.push_str(newline);
    }
}

/// The first `units` UTF-16 code units of `text`, never splitting a character.
fn cut_utf16(text: &str, units: usize) -> String {
    let mut count = 0;
    let mut cut = String::new();
    for c in text.chars() {
        count += c.len_utf16();
        if count > units {
            break;
        }
        cut.push(c);
    }
    cut
}

struct ShellState<'a> {
    shell: Shell,
    machine: &'a Machine,
    /// The last exit status (`%ERRORLEVEL%`, `$?` in sh, `$LASTEXITCODE`).
    status: i32,
    /// PowerShell's `$?`.
    success: bool,
    output: String,
    newline: &'static str,
}

struct Step {
    takes: Duration,
    exits: bool,
}

impl ShellState<'_> {
    fn print(&mut self, text: &str) {
        self.output.push_str(text);
        self.output.push_str(self.newline);
    }

    fn line(&mut self, line: &str) -> Step {
        let mut step = Step {
            takes: Duration::ZERO,
            exits: false,
        };
        match self.shell {
            Shell::Cmd => {
                let quiet = line.trim_start().starts_with('@');
                let command = line.trim_start().trim_start_matches('@');
                if !quiet {
                    // cmd echoes every line that does not start with `@`, after its prompt.
                    self.print(&format!("C:\\WINDOWS\\system32>{command}"));
                }
                self.command(command, &mut step);
            }
            Shell::Sh => self.command(line, &mut step),
            Shell::PowerShell => {
                // Statements separated by `;`; the SDK's exit-code line has no `;` inside braces.
                for statement in line.split(';') {
                    if step.exits {
                        break;
                    }
                    self.command(statement, &mut step);
                }
            }
        }
        step
    }

    fn command(&mut self, command: &str, step: &mut Step) {
        let command = command.trim();
        if command.is_empty() {
            return;
        }
        if self.shell == Shell::PowerShell && command.starts_with('$') && command.contains('=') {
            // An assignment prints nothing and leaves `$?` as it was.
            return;
        }
        let (word, rest) = command
            .split_once(char::is_whitespace)
            .map_or((command, ""), |(word, rest)| (word, rest.trim()));
        let lower = word.to_ascii_lowercase();
        let machine = self.machine;
        let status = match lower.as_str() {
            "echo" | "write-output" | "write-host" => {
                let text = self.expand(rest);
                self.print(&text);
                0
            }
            "hostname" => {
                self.print(&machine.name);
                0
            }
            "whoami" => {
                let user = if machine.user.is_empty() {
                    "system"
                } else {
                    &machine.user
                };
                let text = if machine.is_windows() {
                    format!("{}\\{user}", machine.domain.to_ascii_lowercase())
                } else {
                    user.to_owned()
                };
                self.print(&text);
                0
            }
            "ipconfig" if machine.is_windows() => {
                for text in [
                    String::new(),
                    "Windows IP Configuration".to_owned(),
                    String::new(),
                    "Ethernet adapter Ethernet:".to_owned(),
                    String::new(),
                    format!(
                        "   IPv4 Address. . . . . . . . . . . : {}",
                        machine.private_address
                    ),
                ] {
                    self.print(&text);
                }
                0
            }
            "uname" if !machine.is_windows() => {
                let kernel = if machine.os.starts_with("macOS") {
                    "Darwin"
                } else {
                    "Linux"
                };
                let text = if rest.contains('a') {
                    format!("{kernel} {} 23.5.0 x86_64", machine.name)
                } else {
                    kernel.to_owned()
                };
                self.print(&text);
                0
            }
            "uptime" if !machine.is_windows() => {
                self.print(" 09:12:44 up 12 days,  3:01,  1 user,  load average: 0.08, 0.11, 0.09");
                0
            }
            "get-service" if self.shell == Shell::PowerShell => {
                let name = rest.trim_start_matches("-Name").trim();
                let name = if name.is_empty() { "Spooler" } else { name };
                for text in [
                    String::new(),
                    "Status   Name               DisplayName".to_owned(),
                    "------   ----               -----------".to_owned(),
                    format!("Running  {name:<18} {name}"),
                ] {
                    self.print(&text);
                }
                0
            }
            "exit" => {
                step.exits = true;
                rest.trim_start_matches("/b")
                    .trim()
                    .parse::<i32>()
                    .unwrap_or(self.status)
            }
            "sleep" | "start-sleep" | "timeout" | "ping" => {
                step.takes += sleep_duration(&lower, rest);
                0
            }
            _ => {
                let message = match self.shell {
                    Shell::Cmd => format!(
                        "'{word}' is not recognized as an internal or external command,{}operable program or batch file.",
                        self.newline
                    ),
                    Shell::Sh => format!("sh: 1: {word}: not found"),
                    Shell::PowerShell => format!(
                        "{word} : The term '{word}' is not recognized as the name of a cmdlet, function, script file, or operable program."
                    ),
                };
                self.print(&message);
                match self.shell {
                    Shell::Cmd => 9009,
                    Shell::Sh => 127,
                    Shell::PowerShell => {
                        // A failed cmdlet sets `$?` but not `$LASTEXITCODE`.
                        self.success = false;
                        return;
                    }
                }
            }
        };
        self.status = status;
        self.success = status == 0;
    }

    /// The text `echo` / `Write-Output` prints: quotes removed, exit-status variables expanded,
    /// other variables empty.
    fn expand(&self, text: &str) -> String {
        let text = text.trim();
        let text = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .or_else(|| text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')))
            .unwrap_or(text);
        let status = self.status.to_string();
        match self.shell {
            Shell::Cmd => text.replace("%ERRORLEVEL%", &status),
            Shell::Sh => text.replace("$?", &status),
            Shell::PowerShell => {
                let code = if self.success { 0 } else { self.status.max(1) };
                let mut out = String::new();
                let mut rest = text;
                while let Some(start) = rest.find('$') {
                    out.push_str(&rest[..start]);
                    let after = &rest[start + 1..];
                    if let Some(after) = after.strip_prefix('?') {
                        out.push_str(if self.success { "True" } else { "False" });
                        rest = after;
                        continue;
                    }
                    let len = after
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(after.len());
                    let name = after[..len].to_ascii_lowercase();
                    if name == "lastexitcode" || name.ends_with("code") {
                        out.push_str(&code.to_string());
                    }
                    rest = &after[len..];
                }
                out.push_str(rest);
                out
            }
        }
    }
}

/// The simulated time of a sleep command.
fn sleep_duration(command: &str, args: &str) -> Duration {
    let numbers: Vec<f64> = args
        .split(|c: char| c.is_whitespace())
        .filter_map(|word| word.parse::<f64>().ok())
        .filter(|n| n.is_finite() && *n >= 0.0)
        .collect();
    let first = numbers.first().copied().unwrap_or(1.0).min(86_400.0);
    let lower = args.to_ascii_lowercase();
    match command {
        "start-sleep" if lower.contains("-m") => Duration::from_secs_f64(first / 1000.0),
        // `ping -n N` waits about N - 1 seconds.
        "ping" => Duration::from_secs_f64((first - 1.0).max(0.0)),
        _ => Duration::from_secs_f64(first),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn windows() -> Machine {
        Machine {
            name: "ACME-WS-042".to_owned(),
            domain: "ACME".to_owned(),
            os: "Microsoft Windows 11 Pro".to_owned(),
            user: "sjohnson".to_owned(),
            private_address: "10.20.0.42".to_owned(),
            public_address: "203.0.113.7".to_owned(),
            serial: "PC0X4T7Q".to_owned(),
            mac: "00-15-5D-01-02-03".to_owned(),
        }
    }

    fn mac() -> Machine {
        Machine {
            os: "macOS 14".to_owned(),
            name: "NW-LT-007".to_owned(),
            ..windows()
        }
    }

    #[test]
    fn the_sdk_sentinel_is_answered_in_every_shell() {
        let cmd = run(
            "hostname\r\n@echo __MSP_EXIT_n1__%ERRORLEVEL%\r\n",
            &windows(),
        );
        assert_eq!(
            cmd.output,
            "C:\\WINDOWS\\system32>hostname\r\nACME-WS-042\r\n__MSP_EXIT_n1__0\r\n"
        );
        let ps = run(
            "#!ps\n#timeout=30000\n$ProgressPreference = 'SilentlyContinue'\nhostname\n\
             $__mspOk = $?; $__mspCode = if ($null -ne $LASTEXITCODE -and ($LASTEXITCODE -ne 0 -or $__mspOk)) { $LASTEXITCODE } elseif ($__mspOk) { 0 } else { 1 }; Write-Output \"__MSP_EXIT_n2__$__mspCode\"\n",
            &windows(),
        );
        assert_eq!(ps.output, "ACME-WS-042\r\n__MSP_EXIT_n2__0\r\n");
        let sh = run("frobnicate\necho \"__MSP_EXIT_n3__$?\"\n", &mac());
        assert_eq!(
            sh.output,
            "sh: 1: frobnicate: not found\n__MSP_EXIT_n3__127\n"
        );
        assert_eq!(sh.elapsed, Duration::ZERO);
    }

    #[test]
    fn exit_stops_the_script() {
        let sh = run("exit 3\necho \"__MSP_EXIT_n3__$?\"\n", &mac());
        assert_eq!(sh.output, "");
    }

    #[test]
    fn the_timeout_kills_and_reports() {
        let sh = run("#timeout=2000\necho before\nsleep 5\necho after\n", &mac());
        assert_eq!(sh.output, "before\nKilled after 2000 milliseconds.\n");
        assert_eq!(sh.elapsed, Duration::from_secs(2));
        let default = run("Start-Sleep -Seconds 3\n", &mac());
        assert_eq!(default.elapsed, Duration::from_secs(3));
        let long = run("sleep 11\n", &mac());
        assert_eq!(long.elapsed, DEFAULT_TIMEOUT);
        assert!(long.output.ends_with("Killed after 10000 milliseconds.\n"));
    }

    #[test]
    fn the_output_limit_cuts_and_reports() {
        let text = format!("#maxlength=10\necho {}\n", "é".repeat(20));
        let sh = run(&text, &mac());
        assert_eq!(
            sh.output,
            format!("{}\nTruncated output at 10 characters.\n", "é".repeat(10))
        );
        let long = format!("echo {}\n", "x".repeat(6000));
        let cut = run(&long, &mac());
        assert!(cut.output.starts_with(&"x".repeat(5000)));
        assert!(
            cut.output
                .ends_with("\nTruncated output at 5000 characters.\n")
        );
    }
}
