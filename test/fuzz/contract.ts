import { expect } from 'vitest';
import type { CampaignReport } from './campaigns.js';
import { describeFinding } from './campaigns.js';

/** The campaign kept the contract on every case, and its cases reached the stages they aim at. */
export function expectContractKept(report: CampaignReport, reached: string[]): void {
  expect(report.findings.map(describeFinding), `campaign ${report.campaign}, seed ${report.seed} (replay with FUZZ_SEED=${report.seed})`).toEqual([]);
  // Mutations that never get past the first check would test nothing behind it.
  for (const key of reached) expect(report.outcomes.get(key) ?? 0, `cases ending '${key}'`).toBeGreaterThan(0);
}
