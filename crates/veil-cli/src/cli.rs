//! Command-line flags. Each flag's help text lives beside its definition.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Veil: privacy engineering for machine learning.
#[derive(Parser, Debug)]
#[command(name = "veil", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Find personal data and secrets in text, JSONL, CSV, Parquet and directories.
    Scan(Box<ScanArgs>),
    /// Score Veil's findings (or another tool's) against labelled data.
    Eval(EvalArgs),
}

/// Output format of `veil scan`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A summary table for people.
    Human,
    /// One JSON object per document with findings (see README for the shapes).
    Jsonl,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
}

/// How to read an input.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// By file extension (.jsonl/.ndjson, .csv, .parquet; anything else is text).
    Auto,
    /// Plain text.
    Text,
    /// JSON Lines records.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// Apache Parquet.
    Parquet,
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` (the default) reads standard input.
    #[arg(default_value = "-")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the output here (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// How to read the inputs.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,
    /// Report findings scoring at least this (0–1).
    #[arg(long, default_value_t = veil_detect::analyzer::DEFAULT_MIN_SCORE)]
    pub min_score: f32,
    /// Only these entity types (comma-separated, e.g. EMAIL_ADDRESS,US_SSN).
    #[arg(long, value_delimiter = ',')]
    pub entities: Option<Vec<String>>,
    /// Exit with status 1 when a finding of one of these types is reported (`any` for all types).
    #[arg(long, value_delimiter = ',')]
    pub fail_on: Option<Vec<String>>,
    /// Skip PERSON and LOCATION (gazetteer recognizers): regex-only speed.
    #[arg(long)]
    pub no_names: bool,
    /// Custom recognizers, deny-lists and allow-lists (TOML).
    #[arg(long)]
    pub rules: Vec<PathBuf>,
    /// File of values never to report, one per line.
    #[arg(long)]
    pub allow_list: Option<PathBuf>,
    /// File of values always to report, one per line (as --deny-entity).
    #[arg(long)]
    pub deny_list: Option<PathBuf>,
    /// Entity type given to --deny-list values.
    #[arg(long, default_value = "DENY_LIST")]
    pub deny_entity: String,
    /// Include the matched text in findings. Off by default: raw values never leave Veil unless asked.
    #[arg(long)]
    pub show_values: bool,
    /// Text inputs: one document per line (default: each file is one document).
    #[arg(long)]
    pub lines: bool,
    /// JSONL inputs: the field holding the text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// JSONL inputs: the field holding the record id.
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// CSV/Parquet inputs: scan only these columns (default: every string column).
    #[arg(long, value_delimiter = ',')]
    pub columns: Option<Vec<String>>,
    /// Values sampled per column for column classification.
    #[arg(long, default_value_t = veil_detect::structured::DEFAULT_SAMPLE)]
    pub sample: usize,
    /// Replace invalid UTF-8 with U+FFFD and go on, instead of reporting an error.
    #[arg(long)]
    pub lossy: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

/// Gold data format for `veil eval`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoldFormat {
    /// Decide from the content: a JSON array is Presidio's format, otherwise JSONL.
    Auto,
    /// Presidio's evaluation format (presidio-research): full_text + spans with start_position/end_position.
    Presidio,
    /// JSONL: {"id", "text", "spans": [{"start", "end", "label"}]}, offsets in code points.
    Jsonl,
}

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Labelled data.
    #[arg(long)]
    pub gold: PathBuf,
    /// Findings to score, as `veil scan --format jsonl` writes them for records ({"id", "findings"}),
    /// one line per gold record in order. Without it Veil analyses the gold texts itself.
    #[arg(long)]
    pub predictions: Option<PathBuf>,
    /// Format of the gold file.
    #[arg(long, value_enum, default_value_t = GoldFormat::Auto)]
    pub gold_format: GoldFormat,
    /// Report findings scoring at least this (0–1) when Veil analyses the texts.
    #[arg(long, default_value_t = veil_detect::analyzer::DEFAULT_MIN_SCORE)]
    pub min_score: f32,
    /// Print the scores as JSON.
    #[arg(long)]
    pub json: bool,
    /// Print up to N mismatched spans per entity type (values are shown: use on synthetic data only).
    #[arg(long, default_value_t = 0)]
    pub errors: usize,
}
