/**
 * The selection feature's server state, one module per resource under ./api/: the search, the
 * anchors the caller acts for, plans and applications, picks and quotes, samples and their rules,
 * live sessions, matching. Screens import from here.
 */
export { SelectionApiError, fieldErrors } from './api/shared';
export * from './api/search';
export * from './api/anchors';
export * from './api/plans';
export * from './api/picks';
export * from './api/samples';
export * from './api/sessions';
export * from './api/matching';
