/** The session form's lineup: its lines, and each line's SKU range and default live price. */
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  type FormInstance,
  Button,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Typography,
} from 'antd';
import { useEffect } from 'react';
import { formatMoney } from '@/lib/money';
import type { usePicks } from './api';
import { useSelectionProduct } from './api';
import { useSelectionT } from './i18n';
import type { Pick } from './models';
import { defaultLivePrice, yuanToMinor } from './workbench';

interface LineupValues {
  pick?: number;
  live_price?: string;
  stock_quantity?: number;
  slot_fee?: string;
}

/** The live price range of a line's SKU, and its default live price once a pick is chosen. */
function LineHint({
  pick,
  onDefault,
}: {
  pick: Pick | undefined;
  onDefault: (price: string) => void;
}) {
  const { t } = useSelectionT();
  const product = useSelectionProduct(pick?.sku ?? null);
  const sku = product.data?.skus.find((s) => s.id === pick?.sku);
  const price =
    pick && sku
      ? defaultLivePrice(pick.retail_price, sku.min_live_price, sku.max_live_price)
      : null;
  useEffect(() => {
    if (price !== null) onDefault(price);
    // Seed once per chosen SKU; the callback changes on every render of the form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [price]);
  if (!sku) return null;
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
      {t('session.priceRange', {
        min: formatMoney(sku.min_live_price),
        max: formatMoney(sku.max_live_price),
      })}
    </Typography.Text>
  );
}

/** The lineup's lines: a pick, its live price, stock and slot fee; the price's error under the whole line. */
export function LineupFields({
  form,
  picks,
  anchor,
}: {
  form: FormInstance;
  picks: ReturnType<typeof usePicks>;
  anchor?: number;
}) {
  const { t } = useSelectionT();
  const lineup = (Form.useWatch('lineup', form) as LineupValues[] | undefined) ?? [];
  const pickById = new Map((picks.data ?? []).map((p) => [p.id, p]));
  const amountRule = {
    validator: async (_: unknown, value: string | undefined) => {
      if (value?.trim() && yuanToMinor(value) === null) throw new Error(t('session.amountInvalid'));
    },
  };

  return (
    <Form.List name="lineup">
      {(fields, { add, remove }) => (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {fields.map((field) => {
            const pick = pickById.get(lineup[field.name]?.pick ?? -1);
            const chosen = new Set(lineup.map((l) => l?.pick).filter(Boolean));
            return (
              <div key={field.key} style={{ borderBottom: '1px dashed #eee', paddingBottom: 8 }}>
                {/* The live price's error reads under the whole line: in its 120 px cell the
                    SKU's range was cut off. */}
                <Form.Item noStyle shouldUpdate>
                  {() => {
                    const priceErrors = form.getFieldError(['lineup', field.name, 'live_price']);
                    return (
                      <>
                        <Space align="start" wrap>
                          <Form.Item
                            name={[field.name, 'pick']}
                            label={t('session.pick')}
                            rules={[{ required: true, message: t('common.required') }]}
                          >
                            <Select
                              style={{ width: 260 }}
                              loading={picks.isFetching}
                              showSearch
                              optionFilterProp="label"
                              options={(picks.data ?? []).map((p) => ({
                                value: p.id,
                                label: `${p.product_name} · ${p.spec}`,
                                disabled: chosen.has(p.id) && p.id !== pick?.id,
                              }))}
                              data-testid={`lineup-pick-${field.name}`}
                            />
                          </Form.Item>
                          <Form.Item
                            name={[field.name, 'live_price']}
                            label={t('session.livePrice')}
                            rules={[{ required: true, message: t('common.required') }, amountRule]}
                            help={priceErrors.length > 0 ? <span /> : undefined}
                          >
                            <Input
                              style={{ width: 120 }}
                              prefix="¥"
                              data-testid={`lineup-price-${field.name}`}
                            />
                          </Form.Item>
                          <Form.Item
                            name={[field.name, 'stock_quantity']}
                            label={t('session.stockQuantity')}
                          >
                            <InputNumber
                              min={0}
                              style={{ width: 110 }}
                              data-testid={`lineup-stock-${field.name}`}
                            />
                          </Form.Item>
                          <Form.Item
                            name={[field.name, 'slot_fee']}
                            label={t('session.slotFee')}
                            rules={[amountRule]}
                          >
                            <Input style={{ width: 110 }} prefix="¥" />
                          </Form.Item>
                          <MinusCircleOutlined
                            style={{ marginTop: 38 }}
                            onClick={() => remove(field.name)}
                          />
                        </Space>
                        {priceErrors.length > 0 && (
                          <div
                            className="ant-form-item-explain-error"
                            role="alert"
                            style={{ marginTop: -16, marginBottom: 8 }}
                            data-testid={`lineup-price-error-${field.name}`}
                          >
                            <Typography.Text type="danger">
                              {priceErrors.join('；')}
                            </Typography.Text>
                          </div>
                        )}
                      </>
                    );
                  }}
                </Form.Item>
                <LineHint
                  pick={pick}
                  onDefault={(price) => {
                    if (!form.getFieldValue(['lineup', field.name, 'live_price'])) {
                      form.setFieldValue(['lineup', field.name, 'live_price'], price);
                    }
                  }}
                />
              </div>
            );
          })}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} disabled={!anchor}>
            {t('session.addLine')}
          </Button>
        </Space>
      )}
    </Form.List>
  );
}
