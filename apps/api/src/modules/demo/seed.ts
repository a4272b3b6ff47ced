import type { Role } from '@sabor/contracts';
import { users, type Database } from '@sabor/db';
import { hashPassword } from '../auth/passwords';
import { seedDemoConsultations } from './consultations';
import { seedDemoEvents } from './events';
import { seedDemoSurveys } from './surveys';

/** Demo accounts, written in the README. Later features add their demo content here. */
export const demoAccounts: { email: string; displayName: string; password: string; role: Role }[] =
  [
    {
      email: 'admin@sabor.local',
      displayName: 'Мария Иванова (администратор)',
      password: 'sabor-admin-demo',
      role: 'admin',
    },
    {
      email: 'moderator@sabor.local',
      displayName: 'Георги Петров (модератор)',
      password: 'sabor-moderator-demo',
      role: 'moderator',
    },
    {
      email: 'resident1@sabor.local',
      displayName: 'Елена Димитрова',
      password: 'sabor-resident-demo',
      role: 'resident',
    },
    {
      email: 'resident2@sabor.local',
      displayName: 'Stefan Kolev',
      password: 'sabor-resident-demo',
      role: 'resident',
    },
  ];

/** Adds the demo content once; a second start changes nothing. */
export async function seedDemo(db: Database): Promise<void> {
  for (const account of demoAccounts) {
    await db
      .insert(users)
      .values({
        email: account.email,
        displayName: account.displayName,
        passwordHash: await hashPassword(account.password),
        role: account.role,
        locale: account.email === 'resident2@sabor.local' ? 'en' : 'bg',
        emailVerifiedAt: new Date(),
        // Established accounts: the limits and holds for new accounts do not get in a demo's way.
        createdAt: new Date(Date.now() - 30 * 24 * 60 * 60 * 1000),
      })
      .onConflictDoNothing();
  }
  await db.transaction((tx) => seedDemoConsultations(tx));
  await db.transaction((tx) => seedDemoEvents(tx));
  await db.transaction((tx) => seedDemoSurveys(tx));
}
