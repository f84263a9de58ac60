import { InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Select, Upload } from 'antd';
import { useState, type ReactNode } from 'react';

/** The platform or source a file comes from, when the import needs one. */
export interface UploadChoice<K extends string> {
  label: string;
  value: K;
  options: { value: K; label: string }[];
  onChange: (value: K) => void;
  testId: string;
  width: number;
}

interface CommonProps {
  title: ReactNode;
  /** Shown in the card above the upload (an intro, a template, the columns). */
  children?: ReactNode;
  accept: string;
  pending: boolean;
  /** Sends the file; throws when the backend refuses it. */
  upload: (file: File) => Promise<void>;
}

/** Choose a file (and its platform), then submit: the refusal is shown under the form. */
interface ChooseProps<K extends string> extends CommonProps {
  mode: 'choose';
  choice?: UploadChoice<K>;
  labels: { file: string; choose: string; submit: string };
  testIds: { choose: string; submit: string; error: string };
  describeError: (error: unknown) => string;
}

/** Drop or pick a file and it is sent at once; `upload` reports its own errors. */
interface DropProps extends CommonProps {
  mode: 'drop';
  labels: { drop: string; hint: string };
  testId: string;
}

export type UploadBoxProps<K extends string> = ChooseProps<K> | DropProps;

/** The upload of an import page: a card with the file picker, in one of two modes. */
export function UploadBox<K extends string>(props: UploadBoxProps<K>) {
  return (
    <Card size="small" title={props.title}>
      {props.children}
      {props.mode === 'choose' ? <ChooseForm {...props} /> : <DropZone {...props} />}
    </Card>
  );
}

function ChooseForm<K extends string>({
  choice,
  accept,
  pending,
  upload,
  labels,
  testIds,
  describeError,
}: ChooseProps<K>) {
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);

  const onSubmit = async () => {
    if (!file) return;
    setError(null);
    try {
      await upload(file);
      setFile(null);
    } catch (refused) {
      setError(describeError(refused));
    }
  };

  return (
    <>
      <Form layout="inline" onFinish={() => void onSubmit()}>
        {choice && (
          <Form.Item label={choice.label}>
            <Select
              style={{ width: choice.width }}
              value={choice.value}
              onChange={choice.onChange}
              options={choice.options}
              data-testid={choice.testId}
            />
          </Form.Item>
        )}
        <Form.Item label={labels.file}>
          <Upload
            maxCount={1}
            accept={accept}
            fileList={file ? [{ uid: 'file', name: file.name, status: 'done' as const }] : []}
            onRemove={() => setFile(null)}
            beforeUpload={(chosen) => {
              setFile(chosen);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} data-testid={testIds.choose}>
              {labels.choose}
            </Button>
          </Upload>
        </Form.Item>
        <Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            disabled={!file}
            loading={pending}
            data-testid={testIds.submit}
          >
            {labels.submit}
          </Button>
        </Form.Item>
      </Form>
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          style={{ marginTop: 12 }}
          data-testid={testIds.error}
        />
      )}
    </>
  );
}

function DropZone({ accept, pending, upload, labels, testId }: DropProps) {
  return (
    <Upload.Dragger
      accept={accept}
      multiple={false}
      showUploadList={false}
      disabled={pending}
      data-testid={testId}
      customRequest={async ({ file, onSuccess, onError }) => {
        try {
          await upload(file as File);
          onSuccess?.(null);
        } catch (error) {
          onError?.(error as Error);
        }
      }}
    >
      <p className="ant-upload-drag-icon">
        <InboxOutlined />
      </p>
      <p className="ant-upload-text">{labels.drop}</p>
      <p className="ant-upload-hint">{labels.hint}</p>
    </Upload.Dragger>
  );
}
