//! `cargo run -p connectwise-manage-codegen -- [--spec PATH] [--errata PATH] [--out DIR]
//! [--api-out DIR] [--check]`
//!
//! Regenerates `connectwise-manage/src/models/generated/` and `connectwise-manage/src/api/generated/`.
//! With `--check` nothing is written; the exit status is 1 when either directory differs from what
//! the generator produces.

use std::path::PathBuf;
use std::process::ExitCode;

use connectwise_manage_codegen as codegen;

const USAGE: &str = "usage: connectwise-manage-codegen [--spec PATH] [--errata PATH] [--out DIR] [--api-out DIR] [--check]";

struct Args {
    spec: PathBuf,
    errata: PathBuf,
    out: PathBuf,
    api_out: PathBuf,
    check: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        spec: codegen::default_spec_path(),
        errata: codegen::default_errata_path(),
        out: codegen::default_out_dir(),
        api_out: codegen::default_api_out_dir(),
        check: false,
    };
    let mut iter = std::env::args_os().skip(1);
    while let Some(arg) = iter.next() {
        let arg = arg.to_string_lossy().into_owned();
        let mut value = |name: &str| {
            iter.next()
                .map(PathBuf::from)
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--spec" => args.spec = value("--spec")?,
            "--errata" => args.errata = value("--errata")?,
            "--out" => args.out = value("--out")?,
            "--api-out" => args.api_out = value("--api-out")?,
            "--check" => args.check = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let output = match codegen::generate_all_from_paths(&args.spec, &args.errata) {
        Ok(output) => output,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut status = ExitCode::SUCCESS;
    for (dir, files) in [
        (&args.out, &output.models),
        (&args.api_out, &output.accessors),
    ] {
        let result = if args.check {
            codegen::compare(dir, files)
        } else {
            codegen::write(dir, files)
        };
        match result {
            Ok(differences) if args.check && !differences.is_empty() => {
                eprint!("{} is out of date:\n{differences}", dir.display());
                status = ExitCode::FAILURE;
            }
            Ok(differences) => {
                let verb = if args.check { "up to date" } else { "written" };
                println!(
                    "{} files {verb} in {} ({} changed)",
                    files.len(),
                    dir.display(),
                    differences.missing.len() + differences.changed.len() + differences.stale.len()
                );
            }
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    status
}
