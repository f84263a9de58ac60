/** 申请寄样 from a pick row: the 寄样 column, the button, the rule at the top and the form. */
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Space,
  Tooltip,
  Typography,
} from 'antd';
import { formatMoney, toMinorUnits } from '@/lib/money';
import { useCreateSample } from './api';
import { useSelectionT } from './i18n';
import type { Pick, SampleEligibility } from './models';
import { ApiErrorAlert } from './ui';
import { markFormErrors } from './formErrors';
import {
  PLATFORMS,
  bilingual,
  sampleCreatePayload,
  sampleFormStart,
  sampleOffer,
  type Platform,
} from './workbench';
import { usePlatformName } from './anchorHooks';

/** The rule's conditions in short: fans, platforms, the monthly cap. */
function useRuleShort() {
  const { t, language } = useSelectionT();
  const platformName = usePlatformName();
  return (rule: NonNullable<SampleEligibility['rule']>) =>
    [
      rule.min_fans > 0
        ? t('sample.ruleFans', {
            fans: rule.min_fans.toLocaleString(language === 'zh' ? 'zh-CN' : 'en-US'),
          })
        : t('sample.anyFans'),
      rule.platforms.length > 0
        ? t('sample.rulePlatforms', { platforms: rule.platforms.map(platformName).join(' / ') })
        : t('sample.anyPlatform'),
      t('sample.ruleCap', { cap: rule.monthly_cap_per_anchor }),
    ].join(' · ');
}

/** The pick row's 寄样 column: whether the product takes samples, the rule in short, how many
 * requests are left this Asia/Shanghai month and, when the anchor may not ask, why. */
export function SampleOfferCell({ pick }: { pick: Pick }) {
  const { t, language } = useSelectionT();
  const ruleShort = useRuleShort();
  const offer = sampleOffer(pick.sample, language);
  const testId = `pick-sample-info-${pick.sku_code}`;
  if (!pick.sample) return null;
  if (offer.kind === 'none' || !pick.sample.rule) {
    return (
      <Typography.Text type="secondary" data-testid={testId}>
        {t('sample.noSamples')}
      </Typography.Text>
    );
  }
  return (
    <Space orientation="vertical" size={0} data-testid={testId}>
      <Typography.Text strong={offer.left > 0} type={offer.left > 0 ? undefined : 'secondary'}>
        {t('sample.leftThisMonth', { count: offer.left })}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {ruleShort(pick.sample.rule)}
      </Typography.Text>
      {offer.reasons.map((reason) => (
        <Typography.Text key={reason} type="danger" style={{ fontSize: 12 }}>
          {reason}
        </Typography.Text>
      ))}
    </Space>
  );
}

/** 申请寄样, offered only where the product takes samples; disabled, saying why, when the anchor
 * may not ask now. */
export function SampleButton({ pick, onOpen }: { pick: Pick; onOpen: () => void }) {
  const { t, language } = useSelectionT();
  const offer = sampleOffer(pick.sample, language);
  if (offer.kind === 'none') return null;
  const button = (
    <Button
      type="link"
      size="small"
      onClick={onOpen}
      disabled={offer.disabled}
      data-testid={`pick-sample-${pick.sku_code}`}
    >
      {t('sample.request')}
    </Button>
  );
  return (
    <Tooltip
      title={
        offer.disabled ? offer.reasons.join('；') : t('sample.leftThisMonth', { count: offer.left })
      }
    >
      {button}
    </Tooltip>
  );
}

/** The rule and this month's count at the top of the form. */
function SampleRuleAlert({ eligibility }: { eligibility: SampleEligibility }) {
  const { t } = useSelectionT();
  const ruleShort = useRuleShort();
  const rule = eligibility.rule;
  if (!rule) return null;
  return (
    <Alert
      type={eligibility.eligible ? 'info' : 'warning'}
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="sample-rule"
      title={
        <span data-testid="sample-left">
          {t('sample.leftThisMonth', { count: eligibility.left })}
        </span>
      }
      description={
        <Space orientation="vertical" size={0}>
          <Typography.Text>
            {t('sample.ruleTitle')}：{ruleShort(rule)}
          </Typography.Text>
          <Typography.Text type="secondary">
            {t('sample.usedThisMonth', {
              used: eligibility.used,
              cap: rule.monthly_cap_per_anchor,
            })}
            {' · '}
            {t('sample.ruleMaxQuantity', { count: rule.max_quantity })}
          </Typography.Text>
          <Typography.Text type="secondary">
            {t('sample.ruleDeadlines', {
              decision: rule.decision_days,
              content: rule.content_days,
              extension: rule.extension_days,
            })}
          </Typography.Text>
          {toMinorUnits(rule.shipping_cost.amount, rule.shipping_cost.currency) > 0n && (
            <Typography.Text type="secondary">
              {t('sample.ruleShipping', { amount: formatMoney(rule.shipping_cost) })}
            </Typography.Text>
          )}
        </Space>
      }
    />
  );
}

const SAMPLE_FORM_FIELDS: Record<string, (string | number)[]> = {
  platform: ['platform'],
  quantity: ['quantity'],
  ship_to: ['ship_to'],
  note: ['note'],
};

/** 申请寄样 for a pick. Eligibility errors (fans, platform, monthly cap, no rule) come from the API
 * and are shown naming the field they are about. */
export function SampleRequestModal({ pick, onClose }: { pick: Pick; onClose: () => void }) {
  const { t, language } = useSelectionT();
  const platformName = usePlatformName();
  const { message } = App.useApp();
  const create = useCreateSample();
  const eligibility = pick.sample ?? null;
  const start = sampleFormStart(eligibility);
  const verdicts = new Map((eligibility?.platforms ?? []).map((v) => [v.platform, v]));
  // The platforms the rule accepts that this anchor may not ask on, and why (those the rule does
  // not accept are simply closed: the rule above names the ones it takes).
  const closed = (eligibility?.platforms ?? []).filter(
    (v) => !v.eligible && !v.reasons.some((r) => r.code === 'platform_not_accepted'),
  );
  const [form] = Form.useForm<{
    platform: Platform;
    quantity: number;
    ship_to: string;
    note?: string;
  }>();
  return (
    <Modal
      open
      title={t('sample.requestTitle', { name: `${pick.product_name} ${pick.spec}` })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('sample.submit')}
      okButtonProps={{ 'data-testid': 'sample-submit' } as Record<string, string>}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      destroyOnHidden
      data-testid="sample-modal"
    >
      {eligibility && <SampleRuleAlert eligibility={eligibility} />}
      <ApiErrorAlert error={create.error} testId="sample-error" />
      <Form
        form={form}
        layout="vertical"
        initialValues={start}
        onFinish={async (values) => {
          try {
            await create.mutateAsync(
              sampleCreatePayload({ ...values, sku: pick.sku, anchor: pick.anchor }),
            );
            void message.success(t('sample.requested'));
            onClose();
          } catch (error) {
            markFormErrors(form, error, language, SAMPLE_FORM_FIELDS);
          }
        }}
      >
        <Form.Item
          name="platform"
          label={t('common.platform')}
          rules={[{ required: true }]}
          extra={
            closed.length > 0 ? (
              <Space orientation="vertical" size={0} data-testid="sample-platform-closed">
                {closed.map((v) => (
                  <span key={v.platform}>
                    {t('sample.platformClosed', {
                      platform: platformName(v.platform),
                      reason: v.reasons.map((r) => bilingual(r.message, language)).join('；'),
                    })}
                  </span>
                ))}
              </Space>
            ) : undefined
          }
        >
          <Radio.Group
            options={PLATFORMS.map((p) => ({
              value: p,
              label: platformName(p),
              disabled: verdicts.get(p)?.eligible === false,
            }))}
            data-testid="sample-platform"
          />
        </Form.Item>
        <Form.Item name="quantity" label={t('sample.quantity')} rules={[{ required: true }]}>
          <InputNumber min={1} max={eligibility?.rule?.max_quantity ?? 99} />
        </Form.Item>
        <Form.Item
          name="ship_to"
          label={t('sample.shipTo')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          extra={start.ship_to ? t('sample.addressPrefilled') : undefined}
        >
          <Input maxLength={200} data-testid="sample-ship-to" />
        </Form.Item>
        <Form.Item name="note" label={t('common.note')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
