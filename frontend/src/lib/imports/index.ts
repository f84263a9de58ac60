export { ImportHistory } from './ImportHistory';
export { ImportPanel } from './ImportPanel';
export { ImportProgress, ImportProgressBar, ImportStatusTag } from './ImportProgress';
export { RejectedRows, RejectedRowsLink, type RejectedRow } from './RejectedRows';
export { UploadBox, type UploadBoxProps, type UploadChoice } from './UploadBox';
export * from './state';
