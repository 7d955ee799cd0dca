import { describe } from 'vitest';
import { backendEnabled, backends } from '../support/backends';
import { runAnalyticsContract } from './analytics-contract';

describe.runIf(backendEnabled('memory'))('memory', () => runAnalyticsContract({ name: 'memory', create: backends.memory }));
