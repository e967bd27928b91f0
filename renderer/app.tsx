// Entry point: picks the transport (Electron preload or the HTTP dashboard) and renders the window.
import { render } from 'preact';
import { App } from './app-root';
import { pickClient } from './client';

const root = document.getElementById('app');
if (root) render(<App client={pickClient()} />, root);
