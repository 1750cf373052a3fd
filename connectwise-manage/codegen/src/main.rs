//! `cargo run -p connectwise-manage-codegen -- [--spec PATH] [--errata PATH] [--out DIR] [--check]`
//!
//! Regenerates `connectwise-manage/src/models/generated/`. With `--check` nothing is written; the
//! exit status is 1 when the directory differs from what the generator produces.

use std::path::PathBuf;
use std::process::ExitCode;

use connectwise_manage_codegen as codegen;

const USAGE: &str =
    "usage: connectwise-manage-codegen [--spec PATH] [--errata PATH] [--out DIR] [--check]";

struct Args {
    spec: PathBuf,
    errata: PathBuf,
    out: PathBuf,
    check: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        spec: codegen::default_spec_path(),
        errata: codegen::default_errata_path(),
        out: codegen::default_out_dir(),
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
    let files = match codegen::generate_from_paths(&args.spec, &args.errata) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = if args.check {
        codegen::compare(&args.out, &files)
    } else {
        codegen::write(&args.out, &files)
    };
    match result {
        Ok(differences) if args.check && !differences.is_empty() => {
            eprint!("{} is out of date:\n{differences}", args.out.display());
            ExitCode::FAILURE
        }
        Ok(differences) => {
            let verb = if args.check { "up to date" } else { "written" };
            println!(
                "{} files {verb} in {} ({} changed)",
                files.len(),
                args.out.display(),
                differences.missing.len() + differences.changed.len() + differences.stale.len()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
