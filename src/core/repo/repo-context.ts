/**
 * The parts of a Repository that its operations (commit, branches, tags, checkout) work on,
 * passed explicitly so each operation lives in its own file without a cycle back to the facade.
 */
import type { ObjectDatabase } from '../objects/object-database';
import type { RefStore } from '../storage/ref-store';
import type { CommitGraph } from '../walk/commit-graph';
import type { Clock } from './clock';
import type { WorkingState } from './working-state';

export interface RepoContext {
  readonly odb: ObjectDatabase;
  readonly refs: RefStore;
  readonly graph: CommitGraph;
  readonly clock: Clock;
  readonly working: WorkingState;
}
