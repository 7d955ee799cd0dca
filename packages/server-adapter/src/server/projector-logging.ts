import type { ProjectorOptions } from '@volcanion-tracking/core';
import type { Logger } from '../handler/handler-options';

/** The projector's reports to the server log: failed batches, and whether this process projects. */
export function projectorLogging(logger: Logger | undefined): Pick<ProjectorOptions, 'onError' | 'onLease'> {
  return {
    onError: (error) => logger?.warn({ err: error }, 'projection batch failed'),
    onLease: (holding) =>
      logger?.info(
        {},
        holding ? 'projector active: this process holds the lease and projects' : 'projector on standby: another process projects; this one takes over if it stops',
      ),
  };
}
