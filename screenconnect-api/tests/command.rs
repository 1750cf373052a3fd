//! Building command scripts (snapshots) and reading their output.

use std::time::Duration;

use screenconnect_api::command::{
    CommandError, CommandOutput, CommandScript, DEFAULT_MAX_LENGTH, SentinelNonce, Shell,
    parse_output,
};

fn nonce() -> SentinelNonce {
    SentinelNonce::new("n0nce1234").unwrap()
}

/// Shows CR explicitly so the snapshots pin the line endings.
fn visible(text: &str) -> String {
    text.replace('\r', "\\r")
}

#[test]
fn cmd_script_with_limits() {
    let built = CommandScript::new(Shell::Cmd, "ipconfig /all\nvol C:\n\n")
        .timeout(Duration::from_secs(30))
        .max_length(20_000)
        .build(&nonce())
        .unwrap();
    insta::assert_snapshot!("cmd_script_with_limits", visible(built.text()));
    assert_eq!(built.max_length(), 20_000);
    assert_eq!(built.shell(), Shell::Cmd);
}

#[test]
fn powershell_script() {
    let built = CommandScript::new(
        Shell::PowerShell,
        "Get-Service -Name 'ScreenConnect*'\r\nGet-BitLockerVolume",
    )
    .timeout(Duration::from_millis(300_000))
    .build(&nonce())
    .unwrap();
    insta::assert_snapshot!("powershell_script", visible(built.text()));
    assert_eq!(built.max_length(), DEFAULT_MAX_LENGTH);

    let plain = CommandScript::new(Shell::PowerShell, "hostname")
        .suppress_progress(false)
        .build(&nonce())
        .unwrap();
    insta::assert_snapshot!("powershell_script_without_progress_line", plain.text());
}

#[test]
fn sh_script_without_limits() {
    let built = CommandScript::new(Shell::Sh, "uname -a; df -h /")
        .build(&nonce())
        .unwrap();
    insta::assert_snapshot!("sh_script_without_limits", built.text());
}

#[test]
fn build_errors() {
    let n = nonce();
    assert_eq!(
        CommandScript::new(Shell::Cmd, " \r\n\t").build(&n),
        Err(CommandError::EmptyCommand)
    );
    assert_eq!(
        CommandScript::new(Shell::Cmd, "echo a\0b").build(&n),
        Err(CommandError::NulInCommand)
    );
    assert_eq!(
        CommandScript::new(Shell::Cmd, "\n#TIMEOUT=5000\nping -n 20 host").build(&n),
        Err(CommandError::DirectiveInCommand {
            directive: "#timeout="
        })
    );
    assert_eq!(
        CommandScript::new(Shell::Cmd, "#!ps\nGet-Date").build(&n),
        Err(CommandError::DirectiveInCommand { directive: "#!ps" })
    );
    assert_eq!(
        CommandScript::new(Shell::Sh, "#maxlength=10\nls").build(&n),
        Err(CommandError::DirectiveInCommand {
            directive: "#maxlength="
        })
    );
    assert_eq!(
        CommandScript::new(Shell::Sh, "ls")
            .timeout(Duration::from_micros(999))
            .build(&n),
        Err(CommandError::InvalidTimeout { millis: 0 })
    );
    assert_eq!(
        CommandScript::new(Shell::Sh, "ls")
            .timeout(Duration::from_secs(3_000_000))
            .build(&n),
        Err(CommandError::InvalidTimeout {
            millis: 3_000_000_000
        })
    );
    assert_eq!(
        CommandScript::new(Shell::Sh, "ls").max_length(0).build(&n),
        Err(CommandError::InvalidMaxLength { chars: 0 })
    );
    assert_eq!(
        CommandScript::new(Shell::Sh, "ls")
            .max_length(u32::MAX)
            .build(&n),
        Err(CommandError::InvalidMaxLength {
            chars: u64::from(u32::MAX)
        })
    );
    // A comment or shebang that is not a directive is fine.
    assert!(
        CommandScript::new(Shell::Sh, "#!/bin/sh\nls")
            .build(&n)
            .is_ok()
    );
}

#[test]
fn debug_never_shows_command_or_output_text() {
    let script = CommandScript::new(Shell::Cmd, "net user admin S3cr3t!");
    let built = script.build(&nonce()).unwrap();
    let output =
        built.parse_output("The command completed. S3cr3t!\r\n__MSP_EXIT_n0nce1234__0\r\n");
    for debug in [
        format!("{script:?}"),
        format!("{built:?}"),
        format!("{output:?}"),
    ] {
        assert!(!debug.contains("S3cr3t"), "{debug}");
    }
    assert!(format!("{output:?}").contains("output_len"));
}

#[test]
fn completed_cmd_output() {
    let built = CommandScript::new(Shell::Cmd, "vol C:")
        .build(&nonce())
        .unwrap();
    let raw = "\u{feff} Volume in drive C is OS\r\n Volume Serial Number is 1234-ABCD\r\n__MSP_EXIT_n0nce1234__0\r\n";
    let out = built.parse_output(raw);
    assert_eq!(
        out,
        CommandOutput {
            output: " Volume in drive C is OS\n Volume Serial Number is 1234-ABCD\n".to_owned(),
            exit_code: Some(0),
            killed: false,
            truncated: false,
        }
    );
    assert!(out.completed());
    assert!(out.succeeded());
}

#[test]
fn nonzero_and_negative_exit_codes() {
    let n = nonce();
    let out = parse_output("not found\n__MSP_EXIT_n0nce1234__3\n", &n, None);
    assert_eq!(out.exit_code, Some(3));
    assert_eq!(out.output, "not found\n");
    assert!(!out.succeeded());
    let out = parse_output("crash\r\n__MSP_EXIT_n0nce1234__-1073741819\r\n", &n, None);
    assert_eq!(out.exit_code, Some(-1_073_741_819));
    // Too large for i32: the command finished but the code is unusable.
    let out = parse_output("__MSP_EXIT_n0nce1234__99999999999\n", &n, None);
    assert_eq!(
        (out.exit_code, out.killed, out.truncated),
        (None, false, false)
    );
}

#[test]
fn sentinel_after_output_without_newline() {
    let out = parse_output("partial line__MSP_EXIT_n0nce1234__0\n", &nonce(), None);
    assert_eq!(out.output, "partial line");
    assert_eq!(out.exit_code, Some(0));
}

#[test]
fn echoed_sentinel_command_is_not_the_sentinel() {
    // cmd echoing the unexpanded sentinel line must not be mistaken for the result.
    let raw = "C:\\Windows\\system32>@echo __MSP_EXIT_n0nce1234__%ERRORLEVEL%\r\n__MSP_EXIT_n0nce1234__2\r\n\r\nC:\\Windows\\system32>";
    let out = parse_output(raw, &nonce(), None);
    assert_eq!(out.exit_code, Some(2));
    assert_eq!(
        out.output,
        "C:\\Windows\\system32>@echo __MSP_EXIT_n0nce1234__%ERRORLEVEL%\n\nC:\\Windows\\system32>"
    );
    let only_echo = parse_output(
        "C:\\>@echo __MSP_EXIT_n0nce1234__%ERRORLEVEL%\r\n",
        &nonce(),
        None,
    );
    assert_eq!(only_echo.exit_code, None);
    assert!(only_echo.killed);
}

#[test]
fn a_different_nonce_does_not_match() {
    let out = parse_output("x\n__MSP_EXIT_other1234__0\n", &nonce(), None);
    assert_eq!(out.exit_code, None);
    assert_eq!(out.output, "x\n__MSP_EXIT_other1234__0\n");
    assert!(out.killed);
}

#[test]
fn killed_notice() {
    let raw = "Pinging host with 32 bytes of data:\r\nReply from 10.0.0.1\r\nKilled after 10000 milliseconds.\r\n";
    let out = parse_output(raw, &nonce(), None);
    assert_eq!(
        out,
        CommandOutput {
            output: "Pinging host with 32 bytes of data:\nReply from 10.0.0.1\n".to_owned(),
            exit_code: None,
            killed: true,
            truncated: false,
        }
    );
}

#[test]
fn truncated_notice() {
    let n = nonce();
    let raw = format!("{}\nTruncated output at 100 characters.", "x".repeat(100));
    let out = parse_output(&raw, &n, Some(100));
    assert_eq!(out.output, format!("{}\n", "x".repeat(100)));
    assert!(out.truncated);
    assert!(!out.killed);
    assert_eq!(out.exit_code, None);
}

#[test]
fn notice_on_the_same_line_and_both_notices() {
    let n = nonce();
    let out = parse_output("abcTruncated output at 3 characters.", &n, Some(3));
    assert_eq!(out.output, "abc");
    assert!(out.truncated && !out.killed);

    let both = parse_output(
        "lots\nTruncated output at 4 characters.\nKilled after 500 milliseconds.\n",
        &n,
        Some(4),
    );
    assert_eq!(both.output, "lots\n");
    assert!(both.truncated && both.killed);
}

#[test]
fn notice_like_text_inside_output_is_left_alone() {
    let raw = "Killed after 10 milliseconds. is what the docs say\n__MSP_EXIT_n0nce1234__0\n";
    let out = parse_output(raw, &nonce(), None);
    assert_eq!(
        out.output,
        "Killed after 10 milliseconds. is what the docs say\n"
    );
    assert!(!out.killed);
    assert_eq!(out.exit_code, Some(0));
}

#[test]
fn structural_truncation_without_notice() {
    // No sentinel and the output reached the limit: truncated, not killed.
    let raw = "é".repeat(50);
    let out = parse_output(&raw, &nonce(), Some(50));
    assert!(out.truncated);
    assert!(!out.killed);
    assert_eq!(out.output, raw);
    // Default limit applies when none was sent.
    let long = "y".repeat(DEFAULT_MAX_LENGTH as usize);
    assert!(parse_output(&long, &nonce(), None).truncated);
}

#[test]
fn structural_kill_without_notice() {
    let out = parse_output("started\nstill working", &nonce(), Some(50));
    assert!(out.killed);
    assert!(!out.truncated);
    assert_eq!(out.exit_code, None);
    assert!(!out.completed());
    assert_eq!(out.output, "started\nstill working");
}

#[test]
fn utf16_length_counts_like_the_agent() {
    // 25 emoji are 50 UTF-16 units: at a 50-character limit that is truncation.
    let raw = "😀".repeat(25);
    assert!(parse_output(&raw, &nonce(), Some(50)).truncated);
    assert!(parse_output(&raw, &nonce(), Some(51)).killed);
}

#[test]
fn multibyte_text_before_notice_does_not_panic() {
    let out = parse_output("ééé\nKilled after 5 milliseconds", &nonce(), None);
    assert!(out.killed);
    assert_eq!(out.output, "ééé\n");
    let out = parse_output("éKilled after é milliseconds", &nonce(), None);
    assert_eq!(out.output, "éKilled after é milliseconds");
}

#[test]
fn built_command_round_trip() {
    let built = CommandScript::new(Shell::Sh, "ls /nope")
        .max_length(1000)
        .build(&nonce())
        .unwrap();
    let out = built.parse_output("ls: /nope: No such file or directory\n__MSP_EXIT_n0nce1234__1\n");
    assert_eq!(out.exit_code, Some(1));
    assert_eq!(out.output, "ls: /nope: No such file or directory\n");
}
