import { render } from 'preact';
import { Portal } from './Portal';
import '../styles.css';
import './portal.css';

render(<Portal />, document.getElementById('app') as HTMLElement);
