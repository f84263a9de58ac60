/** The API bodies the workbench builds, and the codes its screens list. */
import type { components } from '@/api/schema';

export type Schemas = components['schemas'];
export type PlanCreate = Schemas['PlanCreateRequest'];
export type PlanUpdate = Schemas['PatchedPlanUpdateRequest'];
export type SampleCreate = Schemas['SampleCreateRequest'];
export type SessionCreate = Schemas['SessionCreateRequest'];
export type SessionUpdate = Schemas['PatchedSessionUpdateRequest'];
export type SampleRuleWrite = Schemas['SampleRuleWriteRequest'];
export type Platform = Schemas['PlatformEnum'];
export type PlanType = Schemas['PlanTypeEnum'];

export const PLATFORMS: Platform[] = ['douyin', 'kuaishou', 'taobao', 'wechat', 'xiaohongshu'];
export const SAMPLE_STATES = [
  'pending',
  'approved',
  'rejected',
  'expired',
  'cancelled',
  'fulfilled',
] as const;
export type SampleState = (typeof SAMPLE_STATES)[number];
export const PICK_STATES = ['active', 'pending', 'rejected', 'removed'] as const;
export const APPLICATION_STATES = ['pending', 'approved', 'rejected'] as const;
