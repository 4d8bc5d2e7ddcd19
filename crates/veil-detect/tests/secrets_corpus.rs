//! Planted-credential corpus: every secret kind, in the file formats where
//! they leak (Python, JS, Go, YAML, JSON, .env, Markdown), inside URLs, in
//! variables named like `SLACK_TOKEN`, multi-line PEM blocks; beside
//! high-entropy non-secrets and documented placeholders. Recall must be at
//! least 0.99, each PEM block its own finding, and no finding on a
//! non-secret.

use veil_core::{EntityType, Family};
use veil_detect::{Analyzer, AnalyzerConfig};

/// splitmix64: a tiny deterministic generator for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn pick(&mut self, alphabet: &str, n: usize) -> String {
        let a: Vec<char> = alphabet.chars().collect();
        (0..n)
            .map(|_| a[(self.next() % a.len() as u64) as usize])
            .collect()
    }
}

const AN: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn secret(r: &mut Rng, kind: usize) -> (EntityType, String) {
    let up27 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    match kind {
        0 => (
            EntityType::AWS_ACCESS_KEY,
            format!("AKIA{}", r.pick(up27, 16)),
        ),
        1 => (EntityType::GITHUB_TOKEN, format!("ghp_{}", r.pick(AN, 36))),
        2 => (
            EntityType::GITHUB_TOKEN,
            format!("github_pat_{}", r.pick(&format!("{AN}_"), 82)),
        ),
        3 => (
            EntityType::GITLAB_TOKEN,
            format!("glpat-{}", r.pick(&format!("{AN}_-"), 20)),
        ),
        4 => (
            EntityType::SLACK_TOKEN,
            format!(
                "xoxb-{}-{}-{}",
                r.pick("0123456789", 11),
                r.pick("0123456789", 12),
                r.pick(AN, 24)
            ),
        ),
        5 => (
            EntityType::SLACK_TOKEN,
            format!(
                "https://hooks.slack.com/services/T{}/B{}/{}",
                r.pick(up27, 8),
                r.pick(up27, 10),
                r.pick(AN, 24)
            ),
        ),
        6 => (
            EntityType::STRIPE_KEY,
            format!("sk_live_{}", r.pick(AN, 24)),
        ),
        7 => (
            EntityType::STRIPE_KEY,
            format!("rk_test_{}", r.pick(AN, 32)),
        ),
        8 => (
            EntityType::GOOGLE_API_KEY,
            format!("AIza{}", r.pick(&format!("{AN}_-"), 35)),
        ),
        9 => (
            EntityType::OPENAI_API_KEY,
            format!("sk-proj-{}", r.pick(&format!("{AN}_-"), 64)),
        ),
        10 => (
            EntityType::OPENAI_API_KEY,
            format!("sk-{}T3BlbkFJ{}", r.pick(AN, 20), r.pick(AN, 20)),
        ),
        11 => {
            let header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
            (
                EntityType::JWT,
                format!(
                    "{header}.eyJ{}.{}",
                    r.pick(AN, 40),
                    r.pick(&format!("{AN}_-"), 43)
                ),
            )
        }
        12 => (
            EntityType::DATABASE_URL,
            format!(
                "postgres://svc_{}:{}@db{}.internal:5432/app",
                r.pick("abcdefgh", 4),
                r.pick(AN, 16),
                r.next() % 9
            ),
        ),
        13 => (
            EntityType::DATABASE_URL,
            format!(
                "mongodb+srv://admin:{}@cluster0.example.net/prod",
                r.pick(AN, 18)
            ),
        ),
        _ => {
            let body: Vec<String> = (0..12).map(|_| r.pick(B64, 64)).collect();
            let kind = ["RSA ", "EC ", "OPENSSH ", ""][(r.next() % 4) as usize];
            (
                EntityType::PRIVATE_KEY,
                format!(
                    "-----BEGIN {kind}PRIVATE KEY-----\n{}\n-----END {kind}PRIVATE KEY-----",
                    body.join("\n")
                ),
            )
        }
    }
}

const KINDS: usize = 15;

/// Wrap a secret in one of the file formats; returns (file text, byte span of the secret).
fn embed(r: &mut Rng, entity: &EntityType, value: &str, style: usize) -> (String, usize, usize) {
    let var = match entity.as_str() {
        "SLACK_TOKEN" => "SLACK_TOKEN",
        "AWS_ACCESS_KEY" => "AWS_ACCESS_KEY_ID",
        "GITHUB_TOKEN" => "GH_TOKEN",
        "DATABASE_URL" => "DATABASE_URL",
        _ => "API_KEY",
    };
    let (pre, post) = match style % 8 {
        0 => (
            format!("import os\n\n{var} = \""),
            "\"\nDEBUG = False\n".to_string(),
        ),
        1 => (
            format!("const {} = '", var.to_lowercase()),
            "';\nmodule.exports = {};\n".to_string(),
        ),
        2 => (
            format!("package main\n\nconst {var} = \""),
            "\"\n".to_string(),
        ),
        3 => (
            format!(
                "service:\n  image: app:{}\n  env:\n    {var}: ",
                r.next() % 10
            ),
            "\n".to_string(),
        ),
        4 => (
            format!("{{\n  \"name\": \"svc\",\n  \"{}\": \"", var.to_lowercase()),
            "\"\n}\n".to_string(),
        ),
        5 => (format!("{var}="), "\nLOG_LEVEL=info\n".to_string()),
        6 => (
            "# Setup\n\n```sh\nexport TOKEN=".to_string(),
            "\n```\n".to_string(),
        ),
        _ => (
            "curl \"https://api.example.com/v1/items?limit=10&key=".to_string(),
            "\"\n".to_string(),
        ),
    };
    // PEM blocks and URLs are not put inside URLs.
    let (pre, post) = if style % 8 == 7 && (value.contains('\n') || value.contains("://")) {
        ("data = '''\n".to_string(), "\n'''\n".to_string())
    } else {
        (pre, post)
    };
    let text = format!("{pre}{value}{post}");
    (text, pre.len(), pre.len() + value.len())
}

fn negatives(r: &mut Rng) -> Vec<String> {
    let hex = "0123456789abcdef";
    vec![
        format!("commit {}\nAuthor: CI <ci@example.invalid>\n", r.pick(hex, 40)),
        format!("{{\"sha\": \"{}\", \"parents\": [\"{}\"]}}\n", r.pick(hex, 40), r.pick(hex, 40)),
        format!("request_id = \"{}-{}-4{}-a{}-{}\"\n", r.pick(hex, 8), r.pick(hex, 4), r.pick(hex, 3), r.pick(hex, 3), r.pick(hex, 12)),
        format!("    \"node_modules/left-pad\": {{\n      \"version\": \"1.3.0\",\n      \"integrity\": \"sha512-{}==\"\n    }}\n", r.pick(B64, 86)),
        format!("<img src=\"data:image/png;base64,{}\" />\n", r.pick(B64, 400)),
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n".to_string(),
        "STRIPE_KEY=sk_live_XXXXXXXXXXXXXXXXXXXXXXXX\n".to_string(),
        "api_key: YOUR_API_KEY_HERE\npassword: <your-password>\n".to_string(),
        "token: ${{ secrets.GITHUB_TOKEN }}\nDATABASE_URL=postgres://user:password@localhost:5432/db\n".to_string(),
        format!("checksum = \"sha256:{}\"\n", r.pick(hex, 64)),
        "password = os.environ[\"DB_PASSWORD\"]\nsecret = get_secret(name)\n".to_string(),
    ]
}

#[test]
fn planted_secrets_are_found_and_non_secrets_are_not() {
    let analyzer = Analyzer::new(AnalyzerConfig::default()).expect("analyzer");
    let mut r = Rng(7);
    let mut planted = 0usize;
    let mut found = 0usize;
    let mut missed = Vec::new();
    for i in 0..(KINDS * 16) {
        let (entity, value) = secret(&mut r, i % KINDS);
        let (text, s, e) = embed(&mut r, &entity, &value, i / KINDS);
        planted += 1;
        let findings = analyzer.analyze(&text);
        let hit = findings.iter().any(|f| {
            f.entity_type == entity && f.start <= s && e <= f.end && f.end - f.start <= e - s + 2
        });
        if hit {
            found += 1;
        } else {
            missed.push((
                entity.to_string(),
                i / KINDS,
                findings
                    .iter()
                    .map(|f| f.entity_type.to_string())
                    .collect::<Vec<_>>(),
            ));
        }
        for f in findings
            .iter()
            .filter(|f| f.entity_type.family() == Family::Secret)
        {
            assert!(
                f.start < e && s < f.end,
                "secret finding {} outside the planted value in {text:?}",
                f.entity_type
            );
        }
    }
    let recall = found as f64 / planted as f64;
    assert!(recall >= 0.99, "recall {recall:.3}; missed: {missed:?}");
    for _ in 0..20 {
        for text in negatives(&mut r) {
            let secrets: Vec<_> = analyzer
                .analyze(&text)
                .into_iter()
                .filter(|f| f.entity_type.family() == Family::Secret)
                .collect();
            assert!(
                secrets.is_empty(),
                "finding on a non-secret: {secrets:?} in {text:?}"
            );
        }
    }
}

#[test]
fn each_pem_block_in_one_file_is_its_own_finding() {
    let analyzer = Analyzer::new(AnalyzerConfig::default()).expect("analyzer");
    let mut r = Rng(11);
    let mut text = String::from("# keys\n");
    for _ in 0..3 {
        let (_, pem) = secret(&mut r, 14);
        text.push_str(&pem);
        text.push_str("\n\n");
    }
    let n = analyzer
        .analyze(&text)
        .iter()
        .filter(|f| f.entity_type == EntityType::PRIVATE_KEY)
        .count();
    assert_eq!(n, 3);
}

/// Regression: a GitLab token ending in `-` or `_` (no word boundary after it).
#[test]
fn gitlab_token_ending_in_a_dash() {
    let analyzer = Analyzer::new(AnalyzerConfig::default()).expect("analyzer");
    let f = analyzer.analyze("GITLAB_TOKEN=\"glpat-Ab3dEf9hIj2kLm4nOp5-\"\n");
    assert!(
        f.iter()
            .any(|f| f.entity_type == EntityType::GITLAB_TOKEN && f.end - f.start == 26),
        "{f:?}"
    );
}

#[test]
fn generic_rule_never_shadows_a_specific_one() {
    let analyzer = Analyzer::new(AnalyzerConfig::default()).expect("analyzer");
    let mut r = Rng(3);
    for kind in [0, 1, 3, 4, 6, 8, 9] {
        let (entity, value) = secret(&mut r, kind);
        let text = format!("secret_token = \"{value}\"\n");
        let f = analyzer.analyze(&text);
        assert!(
            f.iter().any(|f| f.entity_type == entity),
            "{entity} shadowed: {f:?}"
        );
        assert!(
            !f.iter()
                .any(|f| f.entity_type == EntityType::GENERIC_SECRET),
            "generic finding beside {entity}"
        );
    }
}
