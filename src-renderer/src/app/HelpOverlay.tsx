import { Group, Kbd, Modal, Stack, Table, Text } from '@mantine/core';
import { shortcuts, type Shortcut } from './shortcuts.ts';

const scopeTitles: Record<Shortcut['scope'], string> = {
  everywhere: 'Everywhere',
  pickup: 'Packet pickup',
};

export function HelpOverlay({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const scopes = [...new Set(shortcuts.map((s) => s.scope))];
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" size="lg" styles={{ title: { fontWeight: 700, fontSize: "var(--mantine-font-size-lg)" } }}>
      <Stack>
        {scopes.map((scope) => (
          <div key={scope}>
            <Text fw={600} mb={4}>
              {scopeTitles[scope]}
            </Text>
            <Table verticalSpacing={6}>
              <Table.Tbody>
                {shortcuts
                  .filter((s) => s.scope === scope)
                  .map((s) => (
                    <Table.Tr key={s.description}>
                      <Table.Td w={150}>
                        <Group gap={4} className="rd-kbd-row">
                          {s.keys.map((k) => (
                            <Kbd key={k}>{k}</Kbd>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td>{s.description}</Table.Td>
                    </Table.Tr>
                  ))}
              </Table.Tbody>
            </Table>
          </div>
        ))}
      </Stack>
    </Modal>
  );
}
