/**
 * The selection workbench's logic, kept apart from the screens so it can be tested: form values →
 * request bodies, rates typed as percents → basis points, rate-change effect, sample deadlines and
 * the sample ROI figures, one module per concern under ./workbench/. Money typed by a user stays a
 * decimal string and becomes fen through bigint (`@/lib/money`); no float touches it.
 */
export type {
  PlanCreate,
  PlanUpdate,
  SampleCreate,
  SessionCreate,
  SessionUpdate,
  SampleRuleWrite,
  Platform,
  PlanType,
  SampleState,
} from './workbench/types';
export { PLATFORMS, SAMPLE_STATES, PICK_STATES, APPLICATION_STATES } from './workbench/types';
export {
  MAX_RATE_BPS,
  percentToBps,
  bpsToPercentText,
  yuanToMinor,
  minorToYuanText,
  minorToMoney,
} from './workbench/amounts';
export * from './workbench/plans';
export * from './workbench/samples';
export * from './workbench/rules';
export * from './workbench/sessions';
export * from './workbench/roi';
export * from './workbench/errors';
