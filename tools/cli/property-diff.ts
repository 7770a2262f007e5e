/** One changed property: its path (`a.b[0].c`), old and new values; `[secret]` for a secret side. */
export interface PropertyChange {
  path: string;
  /** Absent when the property is new. */
  before?: unknown;
  /** Absent when the property is gone. */
  after?: unknown;
  /**
   * For a secret on either side: `changed` (its stand-in changed), `unchanged`, `unknown` (offline
   * cannot tell), `became-plain` (a secret now sent in clear: flagged), `became-secret`.
   */
  secret?: "changed" | "unchanged" | "unknown" | "became-plain" | "became-secret";
}

/** What the diff knows of one side's secrets: their paths and the digests of their stand-ins. */
export interface SecretSide {
  paths: ReadonlySet<string>;
  digests: Readonly<Record<string, string>>;
}

const NO_SECRETS: SecretSide = { paths: new Set(), digests: {} };

function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function secretVerdict(path: string, before: SecretSide, after: SecretSide): PropertyChange["secret"] {
  const was = before.paths.has(path);
  const is = after.paths.has(path);
  if (was && !is) return "became-plain";
  if (!was && is) return "became-secret";
  const [a, b] = [before.digests[path], after.digests[path]];
  if (a === undefined || b === undefined) return "unknown";
  return a === b ? "unchanged" : "changed";
}

/**
 * The property-level differences between two values: nested maps by key, arrays element by element
 * (an element added or removed at the end shows as such). A path secret on either side is never
 * shown: both sides print `[secret]`, with whether it changed as far as offline can know; a secret
 * whose change cannot be known is not reported as a change.
 */
export function diffProperties(
  before: unknown,
  after: unknown,
  secrets: { before: SecretSide; after: SecretSide } = { before: NO_SECRETS, after: NO_SECRETS },
  path = "",
): PropertyChange[] {
  if (path && (secrets.before.paths.has(path) || secrets.after.paths.has(path))) {
    // A secret added or removed whole is simply a change; otherwise judge from what offline knows.
    const verdict =
      before === undefined || after === undefined
        ? "changed"
        : secretVerdict(path, secrets.before, secrets.after);
    if (verdict === "unchanged" || verdict === "unknown") return [];
    return [
      {
        path,
        ...(before === undefined ? {} : { before: "[secret]" }),
        ...(after === undefined ? {} : { after: "[secret]" }),
        secret: verdict,
      },
    ];
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffProperties(before[key], after[key], secrets, childPath(path, key)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) =>
      diffProperties(before[i], after[i], secrets, childPath(path, i)),
    ).flat();
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [
    {
      path,
      ...(before === undefined ? {} : { before }),
      ...(after === undefined ? {} : { after }),
    },
  ];
}
