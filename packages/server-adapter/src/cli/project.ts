import { Projector } from '@volcanion-tracking/core';
import type { ServerSettings } from '../config/server-settings';
import { openStorage } from '../server/open-storage';
import { projectorLogging } from '../server/projector-logging';
import { serverLogger } from '../server/server-logger';

/** `volcanion-tracking project`: runs only the projector, until SIGTERM or SIGINT. */
export async function project(config: ServerSettings): Promise<number> {
  const logger = serverLogger(config);
  const storage = await openStorage(config);
  const projector = new Projector(storage, projectorLogging(logger));
  projector.start();
  logger.info({ storage: storage.kind }, 'volcanion-tracking projector started');
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await projector.stop();
  await storage.close();
  logger.info({}, 'projector stopped');
  return 0;
}

/** `volcanion-tracking rebuild`: empties the read models and projects every event again, then exits. */
export async function rebuild(config: ServerSettings): Promise<number> {
  const storage = await openStorage(config);
  try {
    const started = Date.now();
    await storage.projection.reset();
    const applied = await new Projector(storage).catchUp();
    const seconds = (Date.now() - started) / 1000;
    // A running server projects too, its batches taking turns with ours: the total is the read models'.
    const { projectedEvents } = await storage.analytics.status();
    const shared = projectedEvents > applied ? `; ${applied} by this process, the rest by a running server` : '';
    process.stdout.write(
      `rebuilt the read models from ${projectedEvents} events in ${seconds.toFixed(1)} s (${Math.round(projectedEvents / Math.max(seconds, 0.001))} events/s${shared})\n`,
    );
    return 0;
  } finally {
    await storage.close();
  }
}
