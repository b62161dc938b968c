import type { Random } from './random.js';

/** A simulated customer: the personal data the Shop stores and the logs must never show in clear (R22). */
export interface CustomerProfile {
  name: string;
  email: string;
  phone: string;
  address: string;
  password: string;
  /** Mistypes the password now and then. */
  clumsy: boolean;
}

const russian = {
  male: { first: ['Иван', 'Алексей', 'Дмитрий', 'Сергей', 'Михаил', 'Андрей', 'Николай', 'Павел'], last: ['Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Соколов', 'Лебедев', 'Морозов', 'Волков'] },
  female: { first: ['Анна', 'Мария', 'Елена', 'Ольга', 'Наталья', 'Татьяна', 'Екатерина', 'Ирина'], last: ['Иванова', 'Смирнова', 'Кузнецова', 'Попова', 'Соколова', 'Лебедева', 'Морозова', 'Волкова'] },
};
const translit: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p',
  р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ы: 'y', ь: '', ъ: '', э: 'e', ю: 'yu', я: 'ya',
};
const english = { first: ['James', 'Emily', 'Oliver', 'Sophie', 'Daniel', 'Charlotte', 'Thomas', 'Grace'], last: ['Smith', 'Taylor', 'Brown', 'Wilson', 'Evans', 'Walker', 'Wright', 'Hughes'] };
const russianStreets = ['ул. Арбат', 'Тверская ул.', 'Невский пр-т', 'ул. Ленина', 'пр-т Мира', 'ул. Гагарина', 'Садовая ул.'];
const russianCities = ['Москва', 'Санкт-Петербург', 'Казань', 'Екатеринбург', 'Новосибирск', 'Нижний Новгород'];
const englishStreets = ['Baker Street', 'High Street', 'Station Road', 'Church Lane', 'Victoria Road'];
const englishCities = ['London', 'Manchester', 'Leeds', 'Bristol', 'Edinburgh'];
const mailDomains = ['mail.ru', 'yandex.ru', 'gmail.com', 'outlook.com', 'example.org'];

function latin(text: string): string {
  return [...text.toLowerCase()].map((c) => translit[c] ?? c).join('');
}

/** A customer with a plausible Russian (two in three) or English identity; `serial` keeps e-mails unique. */
export function customerProfile(random: Random, serial: number): CustomerProfile {
  const clumsy = random.chance(0.15);
  const password = `${random.pick(['Koltso', 'Zoloto', 'Ring', 'Sun', 'Moon'])}-${random.int(1000, 9999)}-${random.pick(['!', '?', '#'])}`;
  if (random.chance(2 / 3)) {
    const names = random.chance(0.6) ? russian.female : russian.male;
    const first = random.pick(names.first);
    const last = random.pick(names.last);
    return {
      name: `${first} ${last}`,
      email: `${latin(first)}.${latin(last)}${serial}@${random.pick(mailDomains)}`,
      phone: `+7 9${random.int(10, 99)} ${random.int(100, 999)}-${random.int(10, 99)}-${random.int(10, 99)}`,
      address: `${random.pick(russianCities)}, ${random.pick(russianStreets)}, д. ${random.int(1, 120)}, кв. ${random.int(1, 300)}`,
      password, clumsy,
    };
  }
  const first = random.pick(english.first);
  const last = random.pick(english.last);
  return {
    name: `${first} ${last}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}${serial}@${random.pick(mailDomains)}`,
    phone: `+44 7${random.int(100, 999)} ${random.int(100000, 999999)}`,
    address: `${random.int(1, 250)} ${random.pick(englishStreets)}, ${random.pick(englishCities)}`,
    password, clumsy,
  };
}
