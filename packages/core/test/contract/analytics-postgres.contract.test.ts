import { describe } from 'vitest';
import { backendEnabled, backends } from '../support/backends';
import { runAnalyticsContract } from './analytics-contract';

describe.runIf(backendEnabled('postgres'))('postgres', () => runAnalyticsContract({ name: 'postgres', create: backends.postgres }));
