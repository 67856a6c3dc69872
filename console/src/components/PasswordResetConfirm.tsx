import { useId } from 'preact/hooks';
import { type Channel, channelNames } from '../api-types';
import { passwordResetWarning } from '../password-reset';
import { Modal } from './Modal';

/** What the admin is asked before a re-invite that would replace the password a parent chose. */
export interface PasswordResetQuestion {
  readonly label: string;
  readonly channel: Channel;
  /** When the parent first signed in; null when only the API's refusal said so. */
  readonly activatedAt: string | null;
}

/**
 * Asks before replacing a parent's chosen password. Cancel (or Escape, or ×) sends nothing; focus
 * starts on Cancel so that Enter never replaces a password by accident.
 */
export function PasswordResetConfirm(props: {
  question: PasswordResetQuestion;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const { question } = props;
  const textId = useId();
  const channel = channelNames[question.channel];
  return (
    <Modal title="Replace the password they chose?" onClose={props.onCancel} alert describedBy={textId}>
      <p id={textId}>{passwordResetWarning(question.label, question.activatedAt)}</p>
      <div class="form-actions">
        <button type="button" onClick={props.onCancel} autofocus>
          Cancel
        </button>
        <button type="button" class="primary" onClick={props.onConfirm}>
          Replace password and invite by {channel}
        </button>
      </div>
    </Modal>
  );
}
