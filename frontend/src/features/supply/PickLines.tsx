import { PlusOutlined } from '@ant-design/icons';
import { Button, Form, InputNumber, Select, Space } from 'antd';
import { useStockItems } from './api';
import { useSupplyT } from './i18n';

export interface PickLineForm {
  stock_item: number;
  quantity: number;
}

/** Lines of what to take from a warehouse: item and quantity (the backend picks FEFO). */
export function PickLines({ testId }: { testId: string }) {
  const { t } = useSupplyT();
  const items = useStockItems();
  const options = (items.data ?? []).map((item) => ({
    value: item.id,
    label: `${item.sku_code} ${item.name}`,
  }));
  return (
    <Form.List name="lines">
      {(fields, { add, remove }) => (
        <div data-testid={testId}>
          {fields.map((field, index) => (
            <Space key={field.key} align="start" wrap>
              <Form.Item
                name={[field.name, 'stock_item']}
                label={index === 0 ? t('common.item') : undefined}
                rules={[{ required: true, message: t('common.required') }]}
              >
                <Select
                  style={{ width: 340 }}
                  showSearch={{ optionFilterProp: 'label' }}
                  options={options}
                />
              </Form.Item>
              <Form.Item
                name={[field.name, 'quantity']}
                label={index === 0 ? t('common.quantity') : undefined}
                rules={[{ required: true, message: t('common.required') }]}
              >
                <InputNumber min={1} precision={0} style={{ width: 120 }} />
              </Form.Item>
              {fields.length > 1 && (
                <Form.Item label={index === 0 ? ' ' : undefined}>
                  <Button onClick={() => remove(field.name)}>{t('common.removeLine')}</Button>
                </Form.Item>
              )}
            </Space>
          ))}
          <Button type="dashed" onClick={() => add({})} icon={<PlusOutlined />} block>
            {t('common.addLine')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}
