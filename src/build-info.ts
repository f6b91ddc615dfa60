/**
 * What this build is: the package version, plus the commit and build time that the Docker build
 * writes into build-info.json beside the compiled code. Read once; shown by /version, /health,
 * the govc_build_info metric and the OpenAPI document.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export interface BuildInfo {
  readonly version: string;
  /** RFC3339, or `development` when not built by the release pipeline. */
  readonly build_time: string;
  readonly git_commit: string;
  readonly node_version: string;
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

function readBuildInfo(): BuildInfo {
  // src/ and dist/ are both one level below the package root.
  const packageJson = readJson(path.resolve(__dirname, '..', 'package.json')) ?? {};
  const stamped = readJson(path.resolve(__dirname, 'build-info.json')) ?? {};
  return {
    version: text(packageJson.version, '0.0.0'),
    build_time: text(stamped.build_time, 'development'),
    git_commit: text(stamped.git_commit, 'unknown'),
    node_version: process.version,
  };
}

export const BUILD_INFO: BuildInfo = Object.freeze(readBuildInfo());
