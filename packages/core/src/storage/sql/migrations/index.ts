import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './0001-initial';
import { readModels } from './0002-read-models';
import { readEvents } from './0003-read-events';
import { analyticsRollups } from './0004-analytics-rollups';
import { listByUser } from './0005-list-by-user';
import { personEventBounds } from './0006-person-event-bounds';
import { rebuildCount } from './0007-rebuild-count';

/** Migrations ship as code, in order, so bundling cannot lose a migration file. */
export const migrationProvider: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return {
      '0001-initial': initial,
      '0002-read-models': readModels,
      '0003-read-events': readEvents,
      '0004-analytics-rollups': analyticsRollups,
      '0005-list-by-user': listByUser,
      '0006-person-event-bounds': personEventBounds,
      '0007-rebuild-count': rebuildCount,
    };
  },
};
