/**
 * The fake's buckets and objects. Object bodies live in files of a private folder (a backup of a
 * million rows must not sit in memory); an upload is written aside and renamed into place only once
 * whole, so a cut upload leaves nothing visible, as in the real service.
 */

import { randomUUID } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface FakeBucket {
  id: string;
  name: string;
  public: boolean;
  file_size_limit: number | null;
  allowed_mime_types: string[] | null;
  created_at: string;
  updated_at: string;
}

export interface FakeObject {
  readonly id: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly file: string;
  readonly created_at: string;
  readonly updated_at: string;
}

export class FakeStore {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-storage-"));
  readonly buckets = new Map<string, FakeBucket>();
  readonly objects = new Map<string, Map<string, FakeObject>>();
  private sequence = 0;

  constructor(private readonly now: () => Date) {}

  addBucket(spec: {
    id?: string;
    name: string;
    public?: boolean;
    file_size_limit?: number | null;
    allowed_mime_types?: string[] | null;
  }): FakeBucket {
    const at = this.now().toISOString();
    const bucket: FakeBucket = {
      id: spec.id ?? spec.name,
      name: spec.name,
      public: spec.public ?? false,
      file_size_limit: spec.file_size_limit ?? null,
      allowed_mime_types: spec.allowed_mime_types ?? null,
      created_at: at,
      updated_at: at,
    };
    this.buckets.set(bucket.id, bucket);
    this.objects.set(bucket.id, new Map());
    return bucket;
  }

  /** A fresh file to write an upload into, outside the visible objects. */
  partFile(): string {
    return path.join(this.dir, `upload-${++this.sequence}.part`);
  }

  /** Makes a fully received upload visible under its name (replacing any previous body). */
  commit(bucket: string, name: string, part: string, contentType: string): FakeObject {
    const objects = this.objects.get(bucket)!;
    const previous = objects.get(name);
    const at = this.now().toISOString();
    const file = path.join(this.dir, `object-${++this.sequence}`);
    fs.renameSync(part, file);
    if (previous) fs.rmSync(previous.file, { force: true });
    const object: FakeObject = {
      id: previous?.id ?? randomUUID(),
      name,
      contentType,
      size: fs.statSync(file).size,
      file,
      created_at: previous?.created_at ?? at,
      updated_at: at,
    };
    objects.set(name, object);
    return object;
  }

  remove(bucket: string, name: string): FakeObject | undefined {
    const objects = this.objects.get(bucket);
    const object = objects?.get(name);
    if (!object) return undefined;
    objects!.delete(name);
    fs.rmSync(object.file, { force: true });
    return object;
  }

  /** The stored bytes of an object (what a download returns). */
  read(bucket: string, name: string): Buffer | undefined {
    const object = this.objects.get(bucket)?.get(name);
    return object ? fs.readFileSync(object.file) : undefined;
  }

  /** Replaces an object's bytes in place, as a damaged disk or a hostile writer would. */
  overwrite(bucket: string, name: string, bytes: Buffer): void {
    const object = this.objects.get(bucket)?.get(name);
    if (!object) throw new Error(`no object ${bucket}/${name}`);
    fs.writeFileSync(object.file, bytes);
    this.objects.get(bucket)!.set(name, { ...object, size: bytes.length });
  }

  close(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
