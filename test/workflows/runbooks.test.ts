import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { launchpadInvocations, launchpadProblems, npmProblems, shellWords } from "./commands";
import { deliveryEnvironments, loadWorkflows, ROOT, STACKS } from "./support";

// The runbooks must match the code: the commands they give exist with the flags they use, the files
// they name exist, and the delivery environments they list are the declared ones.

const RUNBOOKS_DIR = path.join(ROOT, "docs", "runbooks");
const RUNBOOKS = [
  "add-app.md",
  "adopt-existing.md",
  "audit-report.md",
  "first-deploy.md",
  "promote.md",
  "rollback.md",
  "rotate-secret.md",
];
const read = (file: string): string => fs.readFileSync(path.join(RUNBOOKS_DIR, file), "utf8");

/** The shell snippets of a Markdown document: fenced sh blocks, and inline code that is a command. */
function snippets(markdown: string): string[] {
  const fenced = [...markdown.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const inline = [...markdown.matchAll(/`((?:npx )?launchpad [^`]+|npm (?:run |ci|test|start)[^`]*)`/g)].map(
    (m) => m[1]!,
  );
  return [...fenced, ...inline];
}

/** Repository paths a document names in inline code (`<stack>` stands for each stack). */
function namedPaths(markdown: string): string[] {
  const candidates = [...markdown.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!);
  const isPath = (p: string): boolean =>
    /^(\.github|\.ci|docs|policies|infra|tools|bin|test)\/[\w.<>/-]*[\w>]$/.test(p) ||
    /^Pulumi(\.[\w<>]+)?\.yaml$/.test(p);
  return candidates
    .filter(isPath)
    .flatMap((p) => (p.includes("<stack>") ? STACKS.map((s) => p.replace("<stack>", s)) : [p]));
}

describe("the runbooks", () => {
  it("cover the delivery tasks", () => {
    expect(fs.readdirSync(RUNBOOKS_DIR).sort()).toEqual(RUNBOOKS);
  });

  it.each(RUNBOOKS)("%s: every launchpad command uses a subcommand and flags the CLI accepts", (file) => {
    const invocations = snippets(read(file)).flatMap((s) => launchpadInvocations(s));
    expect(invocations.flatMap(launchpadProblems)).toEqual([]);
  });

  it.each(RUNBOOKS)("%s: every npm command is a script of package.json", (file) => {
    expect(snippets(read(file)).flatMap(npmProblems)).toEqual([]);
  });

  it.each(RUNBOOKS)("%s: every file it names or links exists", (file) => {
    const markdown = read(file);
    const links = [...markdown.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((m) => m[1]!)
      .filter((l) => !/^https?:/.test(l))
      .map((l) => path.relative(ROOT, path.resolve(RUNBOOKS_DIR, l)));
    const missing = [...links, ...namedPaths(markdown)].filter((p) => !fs.existsSync(path.join(ROOT, p)));
    expect(missing).toEqual([]);
  });

  it("run workflows that exist, with inputs they declare", () => {
    const workflows = loadWorkflows();
    const runs = RUNBOOKS.flatMap((f) =>
      [...read(f).matchAll(/gh workflow run ([^\n]+)/g)].map((m) => shellWords(m[1]!)),
    );
    expect(runs.length).toBeGreaterThan(0);
    for (const words of runs) {
      const wf = workflows.find((w) => w.file === words[0]);
      expect(Object.keys(wf?.on ?? {})).toContain("workflow_dispatch");
      const inputs = Object.keys(wf!.on["workflow_dispatch"].inputs ?? {});
      words.forEach((w, i) => {
        if (words[i - 1] === "-f") expect(inputs).toContain(w.split("=")[0]);
      });
      const options = wf!.on["workflow_dispatch"].inputs.stack.options as string[];
      for (const w of words.filter((x) => x.startsWith("stack="))) expect(options).toContain(w.slice(6));
    }
  });

  it("list each delivery environment with exactly its declared secrets (first-deploy.md)", () => {
    const doc = read("first-deploy.md");
    const table = /<!-- environments:start -->([\s\S]*?)<!-- environments:end -->/.exec(doc)?.[1] ?? "";
    const rows = [...table.matchAll(/^\| `([\w-]+)` \| (\w+) \| [^|]+ \| ([^|]+) \|$/gm)];
    const listed = Object.fromEntries(
      rows.map((r) => [
        r[1]!,
        { stack: r[2]!, secrets: [...r[3]!.matchAll(/`(\w+)`/g)].map((m) => m[1]!).sort() },
      ]),
    );
    const declared = Object.fromEntries(
      Object.entries(deliveryEnvironments().environments).map(([name, e]) => [
        name,
        { stack: e.stack, secrets: [...e.secrets].sort() },
      ]),
    );
    expect(listed).toEqual(declared);
  });

  it("describe every delivery secret with the variable it reaches the program as", () => {
    const doc = read("first-deploy.md");
    for (const [name, secret] of Object.entries(deliveryEnvironments().secrets))
      expect(doc).toMatch(new RegExp(`^\\| \`${name}\` \\| \`${secret.variable}\` \\|`, "m"));
  });

  it("are linked from the README's Delivery section, with the workflows", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const delivery = /^## Delivery\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? "";
    for (const file of RUNBOOKS) expect(delivery).toContain(`](docs/runbooks/${file})`);
    for (const wf of loadWorkflows()) expect(delivery).toContain(`](.github/workflows/${wf.file})`);
  });
});
