import '@mantine/core/styles.css';
import './app/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { connect } from './api/connection.ts';
import { DeviceContext } from './offline/device-transport.ts';

const { client, device } = connect();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DeviceContext.Provider value={device}>
      <App client={client} />
    </DeviceContext.Provider>
  </StrictMode>,
);
