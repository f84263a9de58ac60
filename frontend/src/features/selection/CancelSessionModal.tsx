import { App, Form, Input, Modal, Typography, type ButtonProps } from 'antd';
import { useCancelSession } from './api';
import { useSelectionT } from './i18n';
import type { Session } from './models';
import { ApiErrorAlert } from './ui';

/** 取消直播, with an optional reason; the reserved stock is released by the backend. */
export function CancelSessionModal({
  session,
  onClose,
}: {
  session: Session;
  onClose: () => void;
}) {
  const { t } = useSelectionT();
  const { message } = App.useApp();
  const cancel = useCancelSession();
  const [form] = Form.useForm<{ reason?: string }>();
  return (
    <Modal
      open
      title={t('session.cancelTitle', { title: session.title })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('session.cancel')}
      okButtonProps={
        {
          danger: true,
          loading: cancel.isPending,
          'data-testid': 'session-cancel-ok',
        } as ButtonProps
      }
      cancelText={t('common.cancel')}
      destroyOnHidden
      data-testid="session-cancel-modal"
    >
      <Typography.Paragraph>{t('session.cancelConfirm')}</Typography.Paragraph>
      <ApiErrorAlert error={cancel.error} testId="session-cancel-error" />
      <Form
        form={form}
        layout="vertical"
        onFinish={({ reason }) =>
          cancel.mutateAsync({ id: session.id, reason: reason?.trim() || undefined }).then(
            () => {
              void message.success(t('session.cancelOk'));
              onClose();
            },
            () => undefined,
          )
        }
      >
        <Form.Item name="reason" label={t('session.cancelReason')}>
          <Input.TextArea maxLength={200} rows={3} data-testid="session-cancel-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
