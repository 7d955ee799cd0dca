import { describe } from 'vitest';
import { backendEnabled, backends } from '../support/backends';
import { runAnalyticsContract } from './analytics-contract';

describe.runIf(backendEnabled('pglite'))('pglite', () => runAnalyticsContract({ name: 'pglite', create: backends.pglite }));
