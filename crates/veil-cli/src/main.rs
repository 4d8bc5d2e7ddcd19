//! The `veil` binary: parses flags and calls the library crates. Each
//! subcommand lives in its own module; none holds detection logic.

mod anonymize;
mod cli;
mod dp;
mod eval;
mod json_line;
mod learn;
mod output;
mod redact;
mod scan;

use clap::Parser;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: the analyzer makes many small,
/// short-lived allocations per text (tokens, candidates, findings), which
/// glibc's malloc serves markedly slower.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let result = match args.command {
        cli::Command::Scan(a) => scan::run(*a),
        cli::Command::Eval(a) => eval::run(a),
        cli::Command::Dp(c) => dp::run(c),
        cli::Command::Train(a) => learn::train(*a),
        cli::Command::Predict(a) => learn::predict(a),
        cli::Command::Evaluate(a) => learn::evaluate(a),
        cli::Command::Anonymize(a) => anonymize::anonymize(a),
        cli::Command::Audit(cli::AuditCommand::Data(a)) => anonymize::audit_data(a),
        cli::Command::Audit(cli::AuditCommand::Utility(a)) => anonymize::audit_utility(a),
        cli::Command::Redact(a) => redact::redact(a),
        cli::Command::Restore(a) => redact::restore(a),
        cli::Command::Keygen(a) => redact::keygen(a),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            // `veil scan … | head` closes the pipe: not an error.
            if err.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("veil: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
