"""Secrets benchmark: a generated code-like corpus (Python, JS, Go, YAML,
JSON, .env, Markdown, lock files) with planted credentials of every kind
Veil supports, beside high-entropy non-secrets (git SHAs, UUIDs, sha512
integrity hashes, base64 images) and documented placeholders.

    python3 bench/secrets_bench.py [--files 3000]

Builds Veil (release), scans the corpus with secret types only, single
thread, and reports recall per kind, false positives, and MB per CPU-second.
"""
import argparse, base64, json, os, random, resource, shutil, string, subprocess

R = random.Random(42)
AN = string.ascii_letters + string.digits
B64 = AN + "+/"
HEX = "0123456789abcdef"
UP27 = string.ascii_uppercase + "234567"


def pick(alpha, n):
    return "".join(R.choice(alpha) for _ in range(n))


def secret(kind):
    if kind == "AWS_ACCESS_KEY":
        return "AKIA" + pick(UP27, 16)
    if kind == "AWS_SECRET_KEY":
        return pick(AN + "/+", 40)
    if kind == "GITHUB_TOKEN":
        return R.choice(["ghp_" + pick(AN, 36), "github_pat_" + pick(AN + "_", 82)])
    if kind == "GITLAB_TOKEN":
        return "glpat-" + pick(AN + "_-", 20)
    if kind == "SLACK_TOKEN":
        return R.choice([f"xoxb-{pick(string.digits, 11)}-{pick(string.digits, 12)}-{pick(AN, 24)}",
                         f"https://hooks.slack.com/services/T{pick(UP27, 8)}/B{pick(UP27, 10)}/{pick(AN, 24)}"])
    if kind == "STRIPE_KEY":
        return R.choice(["sk_live_", "rk_live_", "sk_test_"]) + pick(AN, 24)
    if kind == "GOOGLE_API_KEY":
        return "AIza" + pick(AN + "_-", 35)
    if kind == "OPENAI_API_KEY":
        return R.choice(["sk-proj-" + pick(AN + "_-", 64), "sk-" + pick(AN, 20) + "T3BlbkFJ" + pick(AN, 20)])
    if kind == "JWT":
        h = base64.urlsafe_b64encode(b'{"alg":"RS256","typ":"JWT"}').rstrip(b"=").decode()
        p = base64.urlsafe_b64encode(json.dumps({"sub": pick(HEX, 12), "iat": R.randint(1e9, 2e9)}).encode()).rstrip(b"=").decode()
        return f"{h}.{p}.{pick(AN + '_-', 43)}"
    if kind == "DATABASE_URL":
        scheme = R.choice(["postgres", "postgresql", "mysql", "mongodb+srv", "redis", "amqp"])
        return f"{scheme}://svc:{pick(AN, 16)}@db-{R.randint(1, 9)}.internal:{R.randint(1000, 9999)}/app"
    if kind == "PRIVATE_KEY":
        kind = R.choice(["RSA ", "EC ", "OPENSSH ", ""])
        body = "\n".join(pick(B64, 64) for _ in range(R.randint(8, 25)))
        return f"-----BEGIN {kind}PRIVATE KEY-----\n{body}\n-----END {kind}PRIVATE KEY-----"
    if kind == "GENERIC_SECRET":
        return pick(AN, 10) + R.choice("#!%*") + pick(AN, 6)
    raise ValueError(kind)


KINDS = ["AWS_ACCESS_KEY", "AWS_SECRET_KEY", "GITHUB_TOKEN", "GITLAB_TOKEN", "SLACK_TOKEN", "STRIPE_KEY", "GOOGLE_API_KEY",
         "OPENAI_API_KEY", "JWT", "DATABASE_URL", "PRIVATE_KEY", "GENERIC_SECRET"]
VARS = {"AWS_ACCESS_KEY": "AWS_ACCESS_KEY_ID", "AWS_SECRET_KEY": "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN": "GITHUB_TOKEN",
        "GITLAB_TOKEN": "GITLAB_TOKEN", "SLACK_TOKEN": "SLACK_TOKEN", "STRIPE_KEY": "STRIPE_SECRET", "GOOGLE_API_KEY": "MAPS_KEY",
        "OPENAI_API_KEY": "OPENAI_API_KEY", "JWT": "SESSION", "DATABASE_URL": "DATABASE_URL", "PRIVATE_KEY": "SIGNING_KEY",
        "GENERIC_SECRET": "db_password"}


def filler(ext, n):
    out = []
    for _ in range(n):
        c = R.random()
        if c < 0.1:
            out.append(f"# commit {pick(HEX, 40)}")
        elif c < 0.2:
            out.append(f'"id": "{pick(HEX, 8)}-{pick(HEX, 4)}-4{pick(HEX, 3)}-a{pick(HEX, 3)}-{pick(HEX, 12)}",')
        elif c < 0.25:
            out.append(f'"integrity": "sha512-{pick(B64, 86)}==",')
        elif c < 0.27:
            out.append(f'<img src="data:image/png;base64,{pick(B64, 600)}">')
        elif c < 0.30:
            out.append(R.choice(["aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "api_key: YOUR_API_KEY_HERE", "STRIPE=sk_live_" + "X" * 24,
                                 "password = os.environ['DB_PASSWORD']", "token: ${{ secrets.DEPLOY_TOKEN }}"]))
        else:
            out.append(R.choice([f"def handler_{pick(string.ascii_lowercase, 6)}(event, context):",
                                 f"    return {{'status': {R.randint(200, 504)}, 'items': items[:{R.randint(1, 99)}]}}",
                                 f"const {pick(string.ascii_lowercase, 7)} = require('./{pick(string.ascii_lowercase, 5)}');",
                                 f"func {pick(string.ascii_letters, 8)}(ctx context.Context) error {{ return nil }}",
                                 f"  replicas: {R.randint(1, 9)}",
                                 f"// TODO: refactor the {pick(string.ascii_lowercase, 6)} loop",
                                 f"    version: \"{R.randint(0, 9)}.{R.randint(0, 30)}.{R.randint(0, 99)}\""]))
    return "\n".join(out) + "\n"


def embed(kind, value, ext):
    var = VARS[kind]
    if ext == "py":
        return f'{var} = """{value}"""' if "\n" in value else f'{var} = "{value}"'
    if ext == "js":
        return f"const {var.lower()} = `{value}`;" if "\n" in value else f"const {var.lower()} = '{value}';"
    if ext == "go":
        return f"var {var} = `{value}`" if "\n" in value else f'const {var} = "{value}"'
    if ext == "yaml":
        return f"{var.lower()}: |\n  " + value.replace("\n", "\n  ") if "\n" in value else f"  {var.lower()}: {value}"
    if ext == "json":
        return f'"{var.lower()}": {json.dumps(value)},'
    if ext == "env":
        return f'{var}="{value}"' if "\n" in value else f"{var}={value}"
    if ext == "md" and kind in ("GOOGLE_API_KEY", "STRIPE_KEY", "OPENAI_API_KEY", "GITHUB_TOKEN") :
        return f"Call `curl https://api.example.com/v1?key={value}` to test."
    return f"```\n{var}={value}\n```"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=3000)
    args = ap.parse_args()
    root = os.path.join("bench", "out", "secrets_corpus")
    shutil.rmtree(root, ignore_errors=True)
    planted = []
    for i in range(args.files):
        ext = R.choice(["py", "js", "go", "yaml", "json", "env", "md"])
        kind = KINDS[i % len(KINDS)]
        value = secret(kind)
        head = filler(ext, R.randint(100, 400))
        line = embed(kind, value, ext)
        tail = filler(ext, R.randint(100, 400))
        text = head + line + "\n" + tail
        start = len(head.encode())  # the planted line's span: a finding must overlap it
        path = os.path.join(root, f"d{i % 50}", f"f{i}.{ext}")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w").write(text)
        planted.append({"path": path, "kind": kind, "start": start, "end": start + len(line.encode())})
    total = sum(os.path.getsize(p["path"]) for p in planted)
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "veil-cli"], check=True)
    secret_types = ",".join(KINDS)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([os.path.join("target", "release", "veil"), "scan", "--threads", "1", "--entities", secret_types, "--format", "jsonl", root],
                         capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    found = {}
    for l in out.stdout.splitlines():
        r = json.loads(l)
        found[r["path"]] = r["findings"]
    per = {k: [0, 0] for k in KINDS}
    fp = 0
    for p in planted:
        fs = found.get(p["path"], [])
        per[p["kind"]][1] += 1
        if any(f["entity_type"] == p["kind"] and f["start"] < p["end"] and p["start"] < f["end"] for f in fs):
            per[p["kind"]][0] += 1
        fp += sum(1 for f in fs if not (f["start"] < p["end"] and p["start"] < f["end"]))
    hits = sum(v[0] for v in per.values())
    print(f"corpus: {len(planted)} files, {total / 1e6:.1f} MB, one planted credential per file")
    print("| kind | found / planted |\n|---|---:|")
    for k, (h, n) in per.items():
        print(f"| {k} | {h} / {n} |")
    print(f"recall {hits / len(planted):.4f}; false positives {fp}; {total / 1e6 / cpu:.1f} MB per CPU-second ({cpu:.2f} CPU-s, --threads 1)")
    json.dump({"files": len(planted), "bytes": total, "recall": hits / len(planted), "false_positives": fp, "cpu_s": cpu, "per_kind": per},
              open(os.path.join("bench", "out", "secrets.json"), "w"), indent=2)


if __name__ == "__main__":
    main()
