//! What the cost examples share: the text file named on the command line.

/// The file named by the first argument, read whole; exits with a usage
/// line or the read error (status 2) otherwise.
pub fn text_from_args(usage: &str) -> String {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: {usage}");
        std::process::exit(2);
    };
    match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    }
}
