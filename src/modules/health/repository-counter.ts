/**
 * How many repositories exist, for the repositories check of /health. Provided by whichever
 * module owns the repository store (git-core); the health module only reads it.
 */
export abstract class RepositoryCounter {
  abstract count(): number;
}
