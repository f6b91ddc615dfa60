/**
 * Receives a bundle upload (api-contract.md §11.2) into a private temp file, never into memory:
 * a raw `application/x-git-bundle` body, or the `bundle` file field of a `multipart/form-data`
 * body. Bytes past import.max_upload_size stop the upload with 413 REQUEST_TOO_LARGE.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import busboy from 'busboy';
import type { Request } from 'express';
import { HttpError } from '../../http/http-error';

export const BUNDLE_MEDIA_TYPE = 'application/x-git-bundle';
export const MULTIPART_MEDIA_TYPE = 'multipart/form-data';

export interface ReceivedUpload {
  readonly path: string;
  readonly size: number;
  /** Removes the temp file and its directory. */
  readonly discard: () => Promise<void>;
}

function tooLarge(maxBytes: number, actual?: number): HttpError {
  return new HttpError(413, 'REQUEST_TOO_LARGE', `upload is larger than ${maxBytes} bytes`, {
    max_size: maxBytes,
    ...(actual === undefined ? {} : { actual_size: actual }),
  });
}

function limiter(maxBytes: number, counted: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      counted.bytes += chunk.length;
      if (counted.bytes > maxBytes) callback(tooLarge(maxBytes));
      else callback(null, chunk);
    },
  });
}

export function mediaTypeOf(request: Request): string | undefined {
  const header = request.headers['content-type'];
  if (header === undefined || header.trim() === '') return undefined;
  return (header.split(';')[0] ?? '').trim().toLowerCase();
}

/** Streams the upload to a temp file; throws HttpError 413/400 on a bad upload. */
export async function receiveUpload(request: Request, maxBytes: number): Promise<ReceivedUpload> {
  const declared = Number(request.headers['content-length']);
  const type = mediaTypeOf(request);
  if (type === BUNDLE_MEDIA_TYPE && Number.isFinite(declared) && declared > maxBytes) {
    request.resume();
    throw tooLarge(maxBytes, declared);
  }
  const directory = await mkdtemp(join(tmpdir(), 'govc-upload-'));
  const path = join(directory, 'upload.bundle');
  const discard = (): Promise<void> => rm(directory, { recursive: true, force: true });
  const counted = { bytes: 0 };
  try {
    if (type === BUNDLE_MEDIA_TYPE) {
      await pipeline(request, limiter(maxBytes, counted), createWriteStream(path, { mode: 0o600 }));
    } else {
      await receiveMultipart(request, path, maxBytes, counted);
    }
  } catch (error: unknown) {
    await discard();
    request.resume();
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'INVALID_REQUEST', `upload failed: ${describe(error)}`);
  }
  return { path, size: counted.bytes, discard };
}

function receiveMultipart(
  request: Request,
  path: string,
  maxBytes: number,
  counted: { bytes: number },
): Promise<void> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: { files: 1, fields: 20, fileSize: maxBytes, fieldSize: 64 * 1024 },
      });
    } catch (error: unknown) {
      reject(new HttpError(400, 'INVALID_REQUEST', `malformed multipart body: ${describe(error)}`));
      return;
    }
    let saving: Promise<void> | undefined;
    let failure: unknown;
    parser.on('file', (field: string, file: Readable) => {
      if (field !== 'bundle' || saving !== undefined) {
        file.resume();
        return;
      }
      file.on('limit', () => {
        failure = tooLarge(maxBytes);
        file.destroy(failure as Error);
      });
      saving = pipeline(file, limiter(maxBytes, counted), createWriteStream(path, { mode: 0o600 }));
      saving.catch((error: unknown) => {
        failure ??= error;
      });
    });
    parser.on('error', (error: unknown) =>
      reject(new HttpError(400, 'INVALID_REQUEST', `malformed multipart body: ${describe(error)}`)),
    );
    parser.on('close', () => {
      if (saving === undefined) {
        reject(new HttpError(400, 'INVALID_REQUEST', 'multipart body has no "bundle" file field'));
        return;
      }
      saving.then(
        () => (failure === undefined ? resolve() : reject(asError(failure))),
        (error: unknown) => reject(asError(failure ?? error)),
      );
    });
    request.pipe(parser);
  });
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
