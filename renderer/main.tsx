import '@xyflow/react/dist/style.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import './styles/theme.css';
import './styles/layout.css';
import './styles/canvas.css';
import './styles/forms.css';
import './styles/connections.css';
import './styles/mapper.css';
import './styles/demo.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
