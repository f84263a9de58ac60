/**
 * The settlement pages' server state: TanStack Query hooks over the typed client, one module per
 * resource in `./queries/` (runs, statements, payouts, phases, advances, payees and earnings, order
 * imports, contracts). The pages import from here.
 */
export { errorMessage, PAGE_SIZE, SettlementApiError } from './queries/shared';
export * from './queries/runs';
export * from './queries/statements';
export * from './queries/payouts';
export * from './queries/phases';
export * from './queries/advances';
export * from './queries/payees';
export * from './queries/imports';
export * from './queries/contracts';
