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
    /// Differential privacy: accountants, DP aggregate queries and the budget ledger.
    #[command(subcommand)]
    Dp(DpCommand),
    /// Train a model (logistic/softmax regression, MLP) with DP-SGD or as a non-private baseline.
    Train(Box<TrainArgs>),
    /// Score new data with a trained model; writes one row of class probabilities per record.
    Predict(PredictArgs),
    /// Accuracy, ROC AUC, log-loss and a calibration table of a trained model on labelled data.
    Evaluate(EvaluateArgs),
    /// Generalise a table until it is k-anonymous (and l-diverse / t-close): optimal full-domain search.
    Anonymize(AnonymizeArgs),
    /// Audits: re-identification risk of a dataset.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// De-identify text or JSONL: an operator per entity type, quarantine, residual re-scan, report.
    Redact(RedactArgs),
    /// Decrypt the tokens `redact` wrote with the `encrypt` operator (needs the key).
    Restore(RestoreArgs),
    /// Make a 256-bit key for the keyed operators (hash, encrypt, pseudonymize, fpe).
    Keygen(KeygenArgs),
}

/// `veil redact`.
#[derive(Args, Debug)]
pub struct RedactArgs {
    /// Input: JSONL (the text field is rewritten, other fields kept), CSV or Parquet (per-column actions), or a text file (one record per line).
    pub input: PathBuf,
    /// Output file (same format).
    #[arg(long, short)]
    pub output: PathBuf,
    /// Policy (TOML): operator per entity type, default, min_score, quarantine rule.
    /// Default: every entity replaced by <ENTITY_TYPE>.
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Key file (from `veil keygen`); else the VEIL_KEY variable.
    #[arg(long)]
    pub key_file: Option<PathBuf>,
    /// Quarantine file (default: OUTPUT with `.quarantine.jsonl`).
    #[arg(long)]
    pub quarantine: Option<PathBuf>,
    /// JSON report (default: OUTPUT with `.report.json`).
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Also write the report as one self-contained HTML page here.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// JSONL field holding the text: a top-level key, or a JSON Pointer into nested objects and arrays (`/message/body`, `/turns/0/content`; `*` for every element: `/messages/*/content`).
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// JSONL field holding the record id (keys per-record date shifts); a key or a JSON Pointer.
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// Fail (exit 1, no output written) when the re-scan finds PII left in the output.
    #[arg(long)]
    pub strict: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
}

/// `veil restore`.
#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// A file `redact` wrote.
    pub input: PathBuf,
    /// Output file.
    #[arg(long, short)]
    pub output: PathBuf,
    /// Key file; else the VEIL_KEY variable.
    #[arg(long)]
    pub key_file: Option<PathBuf>,
    /// JSONL field holding the text: a top-level key, or a JSON Pointer (`/message/body`; `*` for every element: `/messages/*/content`).
    #[arg(long, default_value = "text")]
    pub text_field: String,
}

/// `veil keygen`.
#[derive(Args, Debug)]
pub struct KeygenArgs {
    /// Where to write the key (created with owner-only permissions; never overwritten).
    #[arg(long, short)]
    pub output: PathBuf,
}

/// `veil anonymize`.
#[derive(Args, Debug)]
pub struct AnonymizeArgs {
    /// Configuration (TOML): layout, quasi-identifiers, sensitive attribute, model, hierarchies.
    #[arg(long)]
    pub config: PathBuf,
    /// Input CSV or Parquet (default: anonymize.input in the configuration).
    pub input: Option<PathBuf>,
    /// Output CSV (original column names, generalised values, suppressed rows removed).
    #[arg(long, short)]
    pub output: PathBuf,
    /// Minimum class size (overrides the configuration).
    #[arg(long)]
    pub k: Option<u32>,
    /// Distinct l-diversity of the sensitive attribute (overrides the configuration).
    #[arg(long)]
    pub l: Option<f64>,
    /// t-closeness of the sensitive attribute (overrides the configuration).
    #[arg(long)]
    pub t: Option<f64>,
    /// Largest share of rows that may be suppressed (overrides the configuration).
    #[arg(long)]
    pub suppression_limit: Option<f64>,
    /// Algorithm (overrides the configuration): optimal full-domain search or Mondrian partitioning.
    #[arg(long, value_enum)]
    pub algorithm: Option<AlgorithmArg>,
    /// Also write the JSON report here.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Print the JSON report instead of a summary.
    #[arg(long)]
    pub json: bool,
}

/// `veil anonymize --algorithm`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlgorithmArg {
    /// Optimal full-domain generalisation with suppression.
    FullDomain,
    /// Mondrian multidimensional partitioning.
    Mondrian,
}

/// `veil audit` subcommands.
#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Re-identification risk (k, uniqueness, prosecutor/journalist/marketer), l-diversity and t-closeness of a table.
    Data(AuditDataArgs),
    /// Train the same non-private model on an original table and its anonymised release; compare accuracy.
    Utility(AuditUtilityArgs),
}

/// `veil audit utility`.
#[derive(Args, Debug)]
pub struct AuditUtilityArgs {
    /// The original table (CSV or Parquet).
    pub original: PathBuf,
    /// The anonymised table (CSV with a header, as `veil anonymize` writes it).
    pub anonymised: PathBuf,
    /// The column to predict.
    #[arg(long)]
    pub label: String,
    /// An anonymisation configuration: its [source] layout reads the original, its `drop` columns are ignored in both.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `veil audit data`.
#[derive(Args, Debug)]
pub struct AuditDataArgs {
    /// Configuration naming the quasi-identifiers, sensitive attribute and
    /// thresholds; without one the suggested quasi-identifiers are audited
    /// against k = 5 and record risk 0.2.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Input CSV or Parquet (default: anonymize.input in the configuration).
    pub input: Option<PathBuf>,
    /// Population table (CSV with the quasi-identifier columns) for the
    /// journalist and marketer risk; overrides the configuration's.
    #[arg(long)]
    pub population: Option<PathBuf>,
    /// Column of the population table holding each row's count.
    #[arg(long, requires = "population")]
    pub population_count: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Also write a self-contained HTML page (with a chart of class sizes) here.
    #[arg(long)]
    pub html: Option<PathBuf>,
}

/// `veil train`.
#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Training configuration (TOML: [data], [model], [training], [privacy]).
    #[arg(long)]
    pub config: PathBuf,
    /// Print a JSON summary instead of text.
    #[arg(long)]
    pub json: bool,
    /// Override the configuration's target epsilon.
    #[arg(long)]
    pub epsilon: Option<f64>,
    /// Override the configuration's accountant.
    #[arg(long, value_enum)]
    pub accountant: Option<AccountantArg>,
    /// Train without differential privacy (the baseline; the model card says NOT PRIVATE).
    #[arg(long, conflicts_with_all = ["epsilon", "sweep_epsilon"])]
    pub non_private: bool,
    /// Train at each of these epsilons (and once without privacy), print a table and write a chart.
    #[arg(long, value_delimiter = ',', num_args = 1..)]
    pub sweep_epsilon: Vec<f64>,
    /// Where the sweep's SVG chart goes.
    #[arg(
        long,
        default_value = "privacy-utility.svg",
        requires = "sweep_epsilon"
    )]
    pub chart: PathBuf,
    /// Independent training runs (accuracy is reported as mean and spread; the first run's model is saved).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub runs: u32,
    /// Hold out this share of the training file and score on it instead of the test file (for tuning).
    #[arg(long)]
    pub validation: Option<f64>,
    /// Directory to write the model (model.safetensors + model.json with the privacy card).
    #[arg(long, conflicts_with = "sweep_epsilon")]
    pub model_out: Option<PathBuf>,
    /// Seed the noise generator for a reproducible run. The model is then NOT private and says so.
    #[arg(long)]
    pub insecure_seed: Option<u64>,
    /// Debit the model's (ε, δ) from the training file's budget in this ledger
    /// (registered with `veil dp budget init`) before anything is written or shown.
    #[arg(long, conflicts_with_all = ["sweep_epsilon", "non_private"])]
    pub ledger: Option<PathBuf>,
}

/// `veil predict`.
#[derive(Args, Debug)]
pub struct PredictArgs {
    /// Model directory written by `veil train --model-out`.
    #[arg(long)]
    pub model: PathBuf,
    /// Data to score (CSV or Parquet laid out as the model's schema says).
    pub input: PathBuf,
    /// Output CSV: source row, predicted class, one probability column per class.
    #[arg(long, short)]
    pub output: PathBuf,
}

/// `veil evaluate`.
#[derive(Args, Debug)]
pub struct EvaluateArgs {
    /// Model directory written by `veil train --model-out`.
    #[arg(long)]
    pub model: PathBuf,
    /// Labelled data (CSV or Parquet laid out as the model's schema says).
    pub input: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `veil dp` subcommands.
#[derive(Subcommand, Debug)]
pub enum DpCommand {
    /// ε of DP-SGD (Poisson-subsampled Gaussian) for a noise multiplier.
    Epsilon(DpEpsilonArgs),
    /// The noise multiplier DP-SGD needs to reach a target (ε, δ).
    Noise(DpNoiseArgs),
    /// Release DP aggregates (COUNT, COUNT DISTINCT, SUM, MEAN, VARIANCE, QUANTILES) of a CSV or Parquet table.
    Query(Box<DpQueryArgs>),
    /// Register datasets and show what their privacy budgets have paid for.
    #[command(subcommand)]
    Budget(DpBudgetCommand),
}

/// Which accountant computes a DP-SGD guarantee.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountantArg {
    /// Privacy-loss distributions (tightest).
    Pld,
    /// Rényi DP.
    Rdp,
}

#[derive(Args, Debug)]
pub struct DpEpsilonArgs {
    /// Poisson sampling rate q (expected batch size / dataset size).
    #[arg(long)]
    pub sampling_rate: f64,
    /// Noise standard deviation divided by the clipping norm.
    #[arg(long)]
    pub noise_multiplier: f64,
    /// Number of noisy gradient steps.
    #[arg(long)]
    pub steps: u64,
    /// Target δ.
    #[arg(long)]
    pub delta: f64,
    /// Accountant.
    #[arg(long, value_enum, default_value_t = AccountantArg::Pld)]
    pub accountant: AccountantArg,
    /// Print JSON (field `epsilon`, plus the other accountant's value).
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct DpNoiseArgs {
    /// Target ε.
    #[arg(long)]
    pub epsilon: f64,
    /// Target δ.
    #[arg(long)]
    pub delta: f64,
    /// Poisson sampling rate q.
    #[arg(long)]
    pub sampling_rate: f64,
    /// Number of noisy gradient steps.
    #[arg(long)]
    pub steps: u64,
    /// Accountant.
    #[arg(long, value_enum, default_value_t = AccountantArg::Pld)]
    pub accountant: AccountantArg,
    /// Print JSON (field `noise_multiplier`).
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct DpQueryArgs {
    /// The table (CSV with a header row, or Parquet).
    pub input: PathBuf,
    /// The budget ledger (SQLite); the input must be registered in it (`veil dp budget init`).
    #[arg(long)]
    pub ledger: PathBuf,
    /// Column identifying the person to protect (one person may own many rows).
    #[arg(long)]
    pub privacy_unit: String,
    /// Partition key columns (comma-separated); omit for one partition over the whole table.
    #[arg(long, value_delimiter = ',')]
    pub by: Vec<String>,
    /// Metrics: count, count_distinct, sum, mean, variance, quantiles (comma-separated).
    #[arg(long, value_delimiter = ',', required = true)]
    pub metrics: Vec<String>,
    /// Value column for sum, mean, variance and quantiles.
    #[arg(long)]
    pub value: Option<String>,
    /// Quantiles to release with `quantiles` (comma-separated, each in [0, 1]).
    #[arg(long, value_delimiter = ',', default_values_t = vec![0.5])]
    pub quantiles: Vec<f64>,
    /// Public lower clamping bound for values.
    #[arg(long, allow_hyphen_values = true)]
    pub lower: Option<f64>,
    /// Public upper clamping bound for values.
    #[arg(long, allow_hyphen_values = true)]
    pub upper: Option<f64>,
    /// Partitions one unit may contribute to.
    #[arg(long, default_value_t = 1)]
    pub max_partitions: u64,
    /// Rows one unit may contribute to each partition.
    #[arg(long, default_value_t = 1)]
    pub max_rows: u64,
    /// ε for this release (debited from the dataset's budget).
    #[arg(long, allow_hyphen_values = true)]
    pub epsilon: f64,
    /// δ for this release (spent on partition selection; may be 0 with --public-partitions).
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    pub delta: f64,
    /// File of public partition keys, one per line (multi-column keys joined by `|`); skips partition selection.
    #[arg(long)]
    pub public_partitions: Option<PathBuf>,
    /// How to read the input.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,
    /// Write the noisy table here as CSV (atomically); default: print it.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Write the release report (JSON) here (atomically).
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Print the release as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// NOT PRIVATE: draw noise from this fixed seed (reproducible demos and tests only; the output says so).
    #[arg(long)]
    pub insecure_seed: Option<u64>,
}

/// `veil dp budget` subcommands.
#[derive(Subcommand, Debug)]
pub enum DpBudgetCommand {
    /// Register a dataset (by content hash) with its total (ε, δ).
    Init(DpBudgetInitArgs),
    /// Show datasets, their budgets and every release debited.
    Show(DpBudgetShowArgs),
}

#[derive(Args, Debug)]
pub struct DpBudgetInitArgs {
    /// The dataset file (its SHA-256 identifies it).
    pub input: PathBuf,
    /// The ledger (created when absent).
    #[arg(long)]
    pub ledger: PathBuf,
    /// A name for the dataset (default: the file name).
    #[arg(long)]
    pub name: Option<String>,
    /// Total ε the dataset may spend.
    #[arg(long, allow_hyphen_values = true)]
    pub epsilon: f64,
    /// Total δ the dataset may spend.
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    pub delta: f64,
}

#[derive(Args, Debug)]
pub struct DpBudgetShowArgs {
    /// The ledger.
    #[arg(long)]
    pub ledger: PathBuf,
    /// Only this dataset.
    #[arg(long)]
    pub name: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
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
    /// Skip the gazetteer recognizers — PERSON, LOCATION and the
    /// quasi-identifiers read with the same words (NRP, TITLE, ORGANIZATION,
    /// AGE): regex-only speed.
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
    /// JSONL inputs: the field holding the text — a top-level key, or a JSON Pointer into nested objects and arrays (`/message/body`, `/turns/0/content`); `*` for every element (`/messages/*/content`: each finding then names its text's pointer, `field`).
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// JSONL inputs: the field holding the record id (a key or a JSON Pointer).
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
