/**
 * Triage of a resident's first message: what a trained receptionist decides on
 * reading it. Pure: no I/O, no state. Rule tables are ordered; danger first.
 *
 * Two normal forms are matched:
 *  - `c` (compact): NFKC, lower-case, with spaces, punctuation, symbols and
 *    emoji removed — Chinese cues are matched here, so "着 火 了！🔥" = "着火了".
 *  - `e` (English): NFKC, lower-case, punctuation turned to spaces, spaces
 *    collapsed — English cues are matched here with word boundaries.
 */

export type TriageKind =
  | "emergency"
  | "self_harm"
  | "threat"
  | "abuse"
  | "not_petition"
  | "other_procedure"
  | "status"
  | "petition";
export type EmergencyCall = 110 | 119 | 120;
export interface Triage {
  kind: TriageKind;
  subtype?: string;
  call?: EmergencyCall;
  /** the matched words */
  cue?: string;
}

/** Longest input looked at; the first message of a resident is short, a paste is cut. */
const MAX_CHARS = 4000;

export interface Normalised {
  c: string;
  e: string;
  /** the raw text shouts: "!!", "！！", "啊啊啊", "🆘", "🔥 … 救命" — an urgency marker like 快来 */
  u: boolean;
}

/**
 * Misspellings, homophones and pinyin of danger words as residents type them in a hurry, mapped to
 * the word the rules know: 着伙 → 着火, 煤汽 → 煤气, 天燃气 → 天然气, "meiqi xielou" → 煤气泄漏,
 * "gas leek" → gas leak, "on fier" → on fire. Only words that name danger; 煤汽费 still reads 煤气费.
 */
const SPELLING: Array<[RegExp, string]> = [
  [/着伙|\bzhao ?huo\b/g, "着火"],
  [/\bqi ?huo le\b/g, "起火了"],
  [/\bshi ?huo\b/g, "失火"],
  [/煤汽|\bmei ?qi\b/g, "煤气"],
  [/燃汽|\bran ?qi\b/g, "燃气"],
  [/天燃气|\btian ?ran ?qi\b/g, "天然气"],
  [/\bxie ?lou\b|\bxie ?lu\b/g, "泄漏"],
  [/\bjiu ?ming\b/g, "救命"],
  [/\bkuai ?lai\b/g, "快来"],
  [/\bbao ?jing\b/g, "报警"],
  [/\b(on|in) fier\b/g, "$1 fire"],
  [/\bfier\b/g, "fire"],
  [/\bgas leek/g, "gas leak"],
  [/\bsmel\b/g, "smell"],
];

/** Shouting in the raw text, before punctuation and emoji are dropped. */
const SHOUT = /[!！]{2,}|啊{3,}|🆘|🚨|\bsos\b|\bhelp+\b.*[!！]|[!！].*\bhelp\b/iu;

export function normalise(text: string): Normalised {
  let t = (text ?? "").slice(0, MAX_CHARS).normalize("NFKC").toLowerCase();
  for (const [re, to] of SPELLING) t = t.replace(re, to);
  // a fire emoji is a fire only when the message also shouts or cries for help ("🔥🔥 救命 5楼")
  const u = SHOUT.test(t) || (/🔥/u.test(t) && /救命|快来|快|help|sos|急/.test(t));
  if (u && /🔥/u.test(t)) t = t.replace(/🔥+/gu, " 着火 ");
  const c = t.replace(/[\s\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}\p{Extended_Pictographic}]+/gu, "");
  const e = t
    .replace(/[’‘`]/g, "'")
    .replace(/[^\p{L}\p{N}'\s-]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return { c, e, u };
}

/** A regular expression written as pieces joined end to end, so long alternations keep to 120 columns. */
function joinRe(parts: string[], flags = ""): RegExp {
  return new RegExp(parts.join(""), flags);
}

interface Rule {
  subtype: string;
  call?: EmergencyCall;
  zh?: RegExp;
  en?: RegExp;
}

function firstMatch(n: Normalised, r: { zh?: RegExp; en?: RegExp }): string | undefined {
  const z = r.zh?.exec(n.c);
  if (z) return z[0];
  const m = r.en?.exec(n.e);
  if (m) return m[0];
  return undefined;
}

// ---------------------------------------------------------------------------
// Time and frame guards (for emergency cues only)

/** Markers that the danger is now. They beat the past/complaint guards. */
const PRESENT_ZH = joinRe([
  "正在|(?<!到|至|直到)现在(?!还是没|还没|也没|都没|仍|依然|还不|也不|都不)|马上|赶紧|赶快|快来|快点|快救|救命|救救|求救|紧急|急急|十万火急|咋整|咋办|怎么办啊|帮帮我|",
  "求求|刚刚|刚才|还在|又在|一直在冒|在打我|在打人|此刻|眼下|(快|赶紧|马上|帮我|帮忙|要|想|请)报警",
]);
const PRESENT_EN = joinRe([
  "\\b(help|now|right now|urgent|hurry|quick|quickly|emergency|asap|please come|currently|is happening|sos|",
  "pls come|send (the )?police)\\b",
]);

/** The danger is now: a present marker in either language, or the raw text shouts ("!!", 啊啊啊). */
function isPresent(n: Normalised): boolean {
  return n.u || PRESENT_ZH.test(n.c) || PRESENT_EN.test(n.e);
}

/** Markers that the event is over. */
const PAST_ZH = joinRe([
  "去世|过世|病逝|离世|烧没了|烧光了|烧毁了|都烧没|上个月|上月|去年|前年|年前|月前|周前|星期前|天前|上周|上星期|上礼拜|之前|以前|曾经|那次|那年|当时|已经灭|已经扑灭|被扑灭|灭了以后|",
  "已经修好|已经处理|已经解决|事后|后来|事情过去|那天|上次",
]);
const PAST_EN = joinRe([
  "\\b(died|passed away|released|on bail|sentenced|convicted|for (a few|several|many|two|three|four|five|",
  "\\d+) years|last (month|year|week|time)|(?<!\\b(mins?|minutes?|hours?|hrs?|seconds?|secs?) )ago|previously|",
  "back in|was put out|used to|in the past)\\b",
]);

/**
 * The danger recurs or nearly happened: 一下雨就淹, 每年, 经常有人被撞, 差点掉到河里, "floods whenever it
 * rains", "what if it catches fire" — a hazard to report (a petition), not an event to answer now.
 */
const HABITUAL_ZH = /每年|年年|每次|经常|总是|老是|一下雨就|下雨就|一到.{0,4}就|几年都|好几次|过好几次|差点|险些|万一|要是.{0,8}(怎么办|咋办)|如果/;
const HABITUAL_EN = joinRe([
  "\\b(every (year|time|summer|winter|spring|autumn|rain|storm|night|day)|whenever|each time|always|nearly|",
  "almost|what if|in case|risk of)\\b",
]);
/** Works, not dwellings: their collapse or flooding is reported for repair unless a person is caught. */
const INFRASTRUCTURE_ZH = /田埂|路基|路面|路肩|桥|堤|坝|护坡|渠|埂|沟|地基|污水|泔水|下水道|化粪池|粪水|地被|田被|庄稼/;
/** A plant or chimney that smokes is a nuisance: "asphalt plant pumping out black smoke". */
const SMOKE_SOURCE_EN = joinRe([
  "\\b(plant|factory|chimney|barbecue|bbq|grill|incinerator|kiln|restaurant|site|every day|all day)\\b",
]);

/** Frames of a complaint about services, bills, hazards or aftermath. */
const COMPLAINT_ZH = joinRe([
  "(能不能|怎么|如何|想)申请|申请.{0,4}(补助|救助|补偿|复垦|赔偿)|工伤|要求|说是|说不是|却说|还说|为证|证据|不立案|报警后|报警了也|还没(人)?(修|处理|清理|来修|解决|",
  "清)|投诉|反映一下|想反映|要反映|太慢|很慢|来得慢|来的慢|迟迟|半天才|不管|不处理|没人管|没有人管|不作为|推诿|赔偿|医药费|住院费|报销|补偿|费用|收费|太贵|涨价|隐患|整改|没修|",
  "不修|不给|罚款|规范|乱收|占用|被占|堵塞|检查|演练|演习|宣传|培训|安全教育|保险|理赔|多收|账单|欠费|停气|停电|停水|到现在|至今|一直没|没有解决",
]);
const COMPLAINT_EN = joinRe([
  "\\b(does (that|it|this) count|work(-| )related|work injury|compensat\\w*|complain|complaint|too slow|slow to|",
  "took .{0,20} to (come|arrive)|bill|fee|charge|price|hazard|inspection|drill|compensation|insurance|never fixed|",
  "not fixed|still not)\\b",
]);

/** Words right before a cue that make it not an event: 防火, 防溺水, 火灾隐患…. */
const LOCAL_BEFORE = /(防|预防|防止|避免|谨防|消防|安全|以防|怕|担心|容易|可能会|万一|树|树木|竹子|林子|林|木头|柴)$/;
const LOCAL_AFTER = /^(隐患|风险|演练|演习|险|保险|预防|检查|宣传|知识|通道|费|事故后|以后|之后|后)/;

const SMOKE_SOURCE_ZH = /烧烤|油烟|烟囱|秸秆|工地|施工|扬尘|工厂|厂里|排放|污染|天天|每天|经常|总是|老是|每次|锅炉房排|饭店|餐馆|抽烟|吸烟/;

function guardedCue(n: Normalised, r: Rule): string | undefined {
  if (r.zh) {
    const re = new RegExp(r.zh.source, r.zh.flags.includes("g") ? r.zh.flags : r.zh.flags + "g");
    for (const m of n.c.matchAll(re)) {
      const i = m.index ?? 0;
      const before = n.c.slice(Math.max(0, i - 4), i);
      const after = n.c.slice(i + m[0].length, i + m[0].length + 4);
      if (LOCAL_BEFORE.test(before) || LOCAL_AFTER.test(after)) continue;
      return m[0];
    }
  }
  const en = r.en?.exec(n.e);
  return en ? en[0] : undefined;
}

// ---------------------------------------------------------------------------
// 1. Self-harm (writer or another person)

const SELF_HARM_STRONG: Rule = {
  subtype: "intent",
  zh: joinRe([
    "不想(再)?活|活不下去|活不成了|想死|要去死|去死算了|死了算了|一死了之|死给你们看|死在你们|自杀|轻生|寻死|寻短见|自尽|自焚|结束生命|结束自己|了结自己|了断自己|不活了|活着没意思|",
    "活着没什么意思|没有活路|没活路了|(?<!解决|处理|彻底|一次性)一了百了(?!地|的办法|的解决)|活着(太|好|真|很)累|活够了|活腻了|不想撑了|不想再?醒来|结束(这)?一切|结束这条命|",
    "再也不(想)?醒|(绳子|刀片|农药|安眠药|药).{0,4}(都|已经)?(准备好|备好|买好|攒够)了",
  ]),
  en: joinRe([
    "\\b(kill (myself|himself|herself)|killing (myself|himself|herself)|end (his|her) life|suicid\\w*|end my life|",
    "end it all|don'?t want to live|do not want to live|want to die|wanna die|hurt myself|self harm|take my own life|",
    "no reason to live|end (it|everything|things)( all)? (tonight|today|now)|end everything|tonight is the night|",
    "(don'?t|do not) want to wake up|never wake up again|better off dead|done with (life|living))\\b",
  ]),
};
/**
 * Poison or pills taken, or about to be: 喝了农药, 吃了一整瓶安眠药, 吞了好多药, 喝药了, 药我全吃了,
 * 说要喝农药; "swallowed a bottle of pills", "took all my sleeping pills". A dose word or a poison is
 * needed, so "吃了药也不见好" and "took my blood pressure pills" are not read.
 */
const POISON = "(安眠药|农药|百草枯|敌敌畏|老鼠药|鼠药|毒鼠强|毒药|除草剂|杀虫剂|药片|一整?瓶药|整瓶药|好多药|很多药|一把药|一堆药)";
const INGEST_ZH = new RegExp(
  `(吃|吞|喝|服)(了|下|掉)?.{0,5}${POISON}|喝药了|喝了药`
  + "|(安眠药|农药|百草枯|敌敌畏|老鼠药)(我|他|她|俺)?(已经)?(都|全|全部)?(吃|喝|吞)(了|下去|光)"
  + "|药(我|他|她|俺)?(已经)?(都|全|全部)(吃|喝|吞)(了|下去|光)"
  + `|(要|想|去|准备|扬言|说要|威胁要?)(喝|吃|吞)${POISON}|(喝|吃|吞).{0,3}给.{0,3}看`,
);
const INGEST_EN =
  joinRe([
    "\\b(swallow\\w*|took|taken|taking|ate|drank|downed)\\b.{0,30}\\b((a |the )?(whole |full |entire )?(bottle|",
    "box|packet|handful|lot)s? of (pills|tablets|sleeping pills|medicine)|all (my|his|her|the) (pills|tablets|",
    "sleeping pills|medicine)|\\d+ (of (my|his|her|the) )?(sleeping )?(pills|tablets)|pesticide|weedkiller|",
    "paraquat|bleach|rat poison|poison)\\b",
  ]);

/**
 * A person at an edge: someone climbed a tower crane, a roof or a bridge railing (爬塔吊讨薪, 站在楼顶边上,
 * 翻过大桥栏杆). Read only with a sign of a jump, a demand or urgency (see selfHarm), so a fitter on a
 * roof is not.
 */
const EDGE_ZH = joinRe([
  "(爬上|爬到|爬|站在|坐在|在|翻过|翻出|翻到|骑在|蹲在)(了)?.{0,6}(塔吊|吊车|楼顶|天台|房顶|屋顶|大桥|桥上|桥栏杆|栏杆|电线杆|高压塔|铁塔|窗台|窗户外|阳台外|烟囱|广告牌|",
  "脚手架顶)",
]);
const EDGE_SIGN_ZH = /跳|讨薪|工钱|工资|欠薪|寻短见|轻生|边上|外面|不下来|死/;
const EDGE_EN = joinRe([
  "\\b(on|onto|up|climbed|standing on|sitting on|over) (the |a )?(roof|rooftop|ledge|railing|bridge railing|",
  "tower crane|crane|tower|parapet|edge of the (roof|bridge))\\b",
]);
/** A ledge, a parapet or the outside of a railing is a sign by itself: nobody sits there for work. */
const LEDGE_EN = joinRe([
  "\\b(on|onto|over) (the |a )?(ledge|parapet|edge of the (roof|bridge|building)|wrong side of the railing)\\b",
]);
const EDGE_SIGN_EN = /\b(jump\w*|wages?|unpaid|threaten\w*|help|police)\b/;

const SELF_HARM_ACT: Rule = {
  subtype: "act",
  zh: joinRe([
    "跳楼(?!价|甩卖|大甩卖|大减价|秀|机)|跳河|跳江|跳湖|跳海|跳桥|跳下去|跳下来|往下跳|(要|想|准备|扬言|说要|威胁|好像要|打算|就)跳(?=$|了|啊|呀|下|楼|河|桥|江|湖|",
    "海)|喝农药|喝了农药|服毒|吃安眠药|吃了安眠药|割腕|割了腕|上吊|卧轨|站在楼顶|爬上楼顶|爬到楼顶|楼顶上要跳|要往下跳",
  ]),
  en: joinRe([
    "\\b(jump(ing)? off|jump from|about to jump|going to jump|gonna jump|threaten\\w* to jump|(he|she|they|",
    "i)('ll| will| would|'s going to| is going to| is gonna| am going to|'m going to| im going to) jump|",
    "drank pesticide|took (a lot of )?pills|overdosed|(slit|cut|slashed) (his|her|my|their) wrists?|hang (himself|",
    "herself|myself))\\b",
  ]),
};
const OTHER_PERSON_ZH = joinRe([
  "(有人|有个人|有个|有一个|一个人|一个|农民工|室友|舍友|大姐|大哥|婆婆|公公|媳妇|对象|老婆|老公|丈夫|妻子|男人|婆娘|儿子|女儿|闺女|俺(妈|爸|爹|娘|哥|姐|弟|妹|男人|老公|",
  "媳妇|儿子|闺女|孩子|家)|爹|娘|女孩|男孩|小孩|女生|男生|学生|老太|老头|小伙子|他|她|我(妈|爸|哥|姐|弟|妹|老公|老婆|丈夫|妻子|儿子|女儿|孩子|家|朋友|同事|邻居|父亲|",
  "母亲|奶奶|爷爷)|邻居|老人|孩子|男的|女的|小伙|姑娘|工人|大爷|大妈|楼上|对面|隔壁|同学)",
]);
const OTHER_PERSON_EN = joinRe([
  "\\b(someone|somebody|a man|a woman|a guy|a girl|a worker|he|she|guy|man|woman|worker|lady|person|teenager|",
  "student|old man|my (mother|mom|mum|father|dad|son|daughter|brother|sister|husband|wife|friend|neighbou?r|",
  "flatmate|roommate|room mate|grandma|grandmother|grandpa|grandfather|partner|boyfriend|girlfriend|uncle|",
  "aunt|cousin|kid|child))\\b",
]);
/** Done, not threatened: the person needs an ambulance (120) rather than the police. */
const INGESTED_ZH = joinRe([
  "喝了农药|农药喝了|喝农药了|服毒|(吃|吞|喝|服)(了|下|掉).{0,5}(安眠药|农药|百草枯|敌敌畏|老鼠药|鼠药|毒药|除草剂|杀虫剂|药)|喝药了|(安眠药|农药|百草枯|药).{0,2}(吃|",
  "喝|吞)了|割腕了|割了腕|吃了一瓶|吃了很多药",
]);
const INGESTED_EN = joinRe([
  "\\b(drank pesticide|took (a lot of )?pills|overdosed|(slit|cut|slashed) (his|her|their) wrists?|(swallow\\w*|",
  "took|taken|ate|drank|downed)\\b.{0,40}\\b(pills|tablets|pesticide|weedkiller|paraquat|bleach|poison))\\b",
]);

/** Someone (whoever) has said they will kill or burn the writer: "扬言要泼汽油烧死我". */
const VICTIM2_ZH = /(扬言|威胁|放话|恐吓|说要|喊着要|叫嚣).{0,8}(砍|杀|捅|打死|弄死|烧死|砸死|泼汽油|泼硫酸).{0,3}(我|俺|咱)/;

/**
 * Self-harm said or done (writer or another person): an intent (不想活了, 一了百了, "end it tonight"),
 * poison or pills taken or about to be, a cut wrist, a jump, or a person at an edge with a sign of
 * a jump or a demand (爬塔吊讨薪). An act long past is a grievance unless something says now.
 */
function selfHarm(n: Normalised): Triage | undefined {
  const strong = firstMatch(n, SELF_HARM_STRONG);
  let cue = strong;
  if (!cue) {
    const edge = EDGE_ZH.exec(n.c);
    const edgeCue = edge && (EDGE_SIGN_ZH.test(n.c) || isPresent(n)) ? edge[0] : undefined;
    const edgeEn = EDGE_EN.exec(n.e);
    const edgeEnCue = (edgeEn && (EDGE_SIGN_EN.test(n.e) || isPresent(n)) ? edgeEn[0] : undefined)
      ?? LEDGE_EN.exec(n.e)?.[0];
    const act = guardedCue(n, SELF_HARM_ACT) ?? INGEST_ZH.exec(n.c)?.[0] ?? INGEST_EN.exec(n.e)?.[0]
      ?? edgeCue ?? edgeEnCue;
    if (!act) return undefined;
    // an act long past ("去年他跳楼了，单位不给说法") is a grievance, unless something says now
    const past = (PAST_ZH.test(n.c) || PAST_EN.test(n.e)) && !isPresent(n);
    if (past) return undefined;
    cue = act;
  }
  const idx = n.c.indexOf(cue);
  const before = idx >= 0 ? n.c.slice(Math.max(0, idx - 16), idx) : "";
  let other: boolean;
  if (idx >= 0) {
    // the nearest subject before the cue decides: a bare 我 (not 我妈, 我哥…) is the writer
    let lastOther = -1;
    for (const m of before.matchAll(new RegExp(OTHER_PERSON_ZH.source, "g"))) lastOther = (m.index ?? 0) + m[0].length - 1;
    let lastSelf = -1;
    for (const m of before.matchAll(/我(?!妈|爸|哥|姐|弟|妹|老公|老婆|丈夫|妻子|儿子|女儿|孩子|家|朋友|同事|邻居|父亲|母亲|奶奶|爷爷)/g)) lastSelf = m.index ?? 0;
    other = lastOther > lastSelf;
  } else {
    other = /himself|herself|his life|her life/.test(cue) || OTHER_PERSON_EN.test(n.e) && !/\b(i|i'm|im|i am|i'll|i will|i want|me|myself)\b/.test(n.e);
  }
  if (other) {
    const call: EmergencyCall = INGESTED_ZH.test(n.c) || INGESTED_EN.test(n.e) ? 120 : 110;
    return { kind: "self_harm", subtype: "other", call, cue };
  }
  return { kind: "self_harm", subtype: "self", cue };
}

// ---------------------------------------------------------------------------
// 2. Someone threatening the writer (the writer is in danger): emergency/violence

const VICTIM_ZH = /(他|她|他们|她们|邻居|有人|对方|老公|丈夫|男人|前夫|男友|男朋友|女友|女朋友|对象|老婆|前妻|儿子|村霸|混混|债主|老板|包工头|那人|那个人|一伙人|几个人|房东|开发商的人|拆迁的人)[^我]{0,10}(要|扬言|威胁|说|喊着|放话|拿着?刀|提着刀|拿着棍).{0,8}(砍|杀|捅|打死|弄死|烧死|砸死|泼汽油|放火烧|烧了|废了|杀了).{0,4}(我|俺|我们|我家|全家|孩子|我妈|我爸|咱)/;
const VICTIM_EN = joinRe([
  "\\b(he|she|they|someone|my (husband|wife|neighbou?r|ex|landlord|",
  "boss|boyfriend|girlfriend)|a man|the man)\\b.{0,50}\\b(threaten\\w*|",
  "says? (he|she)('ll| will| would| is going to| is gonna)|said ",
  "he would|(he|she)'ll|going to|gonna|wants? to)\\b.{0,20}\\b(kill|",
  "stab|hurt|burn|shoot|beat)\\b.{0,10}\\b(me|us|my family|my kids?)\\b",
]);

/** Objects after 我家 that make "他说要砍我家…" a matter of property: a tree, a crop, a wall. */
const PROPERTY_AFTER = joinRe([
  "^(们家|家)?(门口|门前|院里|院子|地里|屋后|房后|田里)?(的)?(那|这)?(棵|颗|片|些|排|根|条|只|头)?",
  "(树|竹|木|庄稼|菜|草|墙|围墙|栅栏|篱笆|苗|狗|猫|鸡|鸭|鹅|牛|羊|猪|车)",
]);

function victimCue(n: Normalised): string | undefined {
  for (const re of [VICTIM_ZH, VICTIM2_ZH]) {
    const m = re.exec(n.c);
    if (m && !PROPERTY_AFTER.test(n.c.slice((m.index ?? 0) + m[0].length))) return m[0];
  }
  return VICTIM_EN.exec(n.e)?.[0];
}

// ---------------------------------------------------------------------------
// 3. Threats by the writer against others or the bureau

const THREAT_ZH = [
  /(我|老子|俺|我们)[^他她]{0,8}(要|就|会|去|得|准备|打算|非|一定|迟早|早晚|肯定)[^他她]{0,10}(炸|烧了|烧死|放火|点了|砍|杀|捅|砸|弄死|整死|宰了|灭了|报复|拼命|拼了|同归于尽|血债血偿|泼汽油)/,
  /(炸了|炸掉|烧了|烧掉|砍了|杀了|捅了|弄死|宰了|灭了|砸了|一把火).{0,4}(你们|政府|信访|局|办公室|大楼|村委|村主任|主任|书记|镇长|乡长|县长|领导|干部|局长|官|那个|这帮|他们|他|她|全家)/,
  /(汽油|炸药|炸弹|雷管|硫酸|刀|斧头).{0,12}(你们|政府|信访|局里|办公室|大楼|村委|领导|干部|书记|镇长|同归于尽|烧了|炸了|砍了|算账)/,
  /同归于尽|血债血偿|让你们(都)?(不得好死|付出代价|见血)|别怪我不客气|鱼死网破|你们等着瞧|走着瞧|要你们的命|要你命|杀你全家|弄死你/,
  // "见一个砍一个", "来一个我砍一个": harm promised to whoever comes
  /(见|来|进来)一个(我|俺|老子)?(就)?(砍|杀|捅|打|弄|宰|废)一个/,
  // harm promised to a named person: 让他全家好看, 让那个主任出不了门, 让书记小心他的腿
  joinRe([
    "让(他|她|你|你们|他们|那个.{0,4}|这个.{0,4}|领导|书记|主任|局长|镇长|县长|乡长|村长|干部)(全家|一家)?(好看|出不了门|吃不了兜着走|横着出去|躺着出去|没好果子吃|",
    "不得安宁|没好日子过|小心(他|她|你)?的?(腿|脑袋|命|狗命|孩子|家人)|见血|后悔)",
  ]),
  // knowing where an official lives is said to frighten: 我知道局长住哪, 查到书记家住哪
  joinRe([
    "(知道|查到|打听到|摸清|找到)(了)?(你|你们|他|她|那个|这个)?.{0,6}(局长|书记|主任|镇长|县长|乡长|村长|领导|干部|官|他|她|你)(家)?(住哪|住在哪|住在|家在哪|",
    "的住址|的地址|家住哪|孩子在哪)",
  ]),
  // arson or wrecking of someone else's home or car: 把村书记家房子点了, 去他家门口泼油漆
  joinRe([
    "把(?!我|俺|咱)[^我俺]{0,8}(家|房子|车|办公室|村委|大楼)(的)?(房子)?(给)?(点了|烧了|炸了|砸了|一把火)|(我|俺|老子)(就)?(去|到|在)?.{0,8}(门口|",
    "家门口|政府|信访|局|村委|镇里|办公室).{0,4}(点火|放火|泼汽油|浇汽油|泼油漆|泼粪)",
  ]),
];
const THREAT_EN =
  joinRe([
    "\\b(i|i'll|i will|i'm going to|im going to|i am going to|i'm ",
    "gonna|i gonna|we will|we'll)\\b.{0,20}\\b(?<!\\b(got|",
    "get|gets|was|were|been|be|am|being) )(burn|bomb|blow up|kill|shoot|stab|hurt|attack|destroy|get revenge|",
    "make you pay)\\b|\\b(you('ll| will) (regret|pay|be sorry))\\b",
  ]);
/**
 * Menace without a verb of harm by the writer: "watch his back", "I know where the director lives",
 * "someone is going to get hurt", "the boss's car goes up in flames".
 */
const MENACE_EN =
  joinRe([
    "\\b(watch (his|her|your|their) backs?|(better|should) watch (out|it|yourselves?|himself|herself)|(someone|",
    "somebody|people|you)('s| is| are)? (gonna|going to) get hurt|(goes|go|going|will go) up in flames|",
    "i know where (he|she|they|you|the \\w+|your \\w+|that \\w+|his \\w+|her \\w+) (lives?|sleeps?|works|parks)|",
    "i (know|have|found|got) (his|her|your|their) (home )?address|",
    "(waiting|wait|be) (for (him|her|them) )?outside (the \\w+'s|",
    "his|her|their|your) (house|home|flat|door)|(you|you people|you lot|you guys|they)('ll| will) see what happens|",
    "see what happens when i)\\b",
  ]);

function threat(n: Normalised): string | undefined {
  for (const re of THREAT_ZH) {
    const m = re.exec(n.c);
    if (m) return m[0];
  }
  const m = THREAT_EN.exec(n.e);
  if (m && !/\b(myself)\b/.test(n.e)) return m[0];
  return MENACE_EN.exec(n.e)?.[0];
}

// ---------------------------------------------------------------------------
// 4. Emergencies, in order

const EMERGENCY: Rule[] = [
  {
    subtype: "fire",
    call: 119,
    zh: joinRe([
      "着火|着大火|起火|冒火|窜火|火光|蹿火|失火|火灾|冒烟|冒浓烟|冒黑烟|浓烟|烧起来|烧着了|火很大|火好大|大火|火势|火苗|火烧|爆炸了|炸了锅炉|燃起来|烧起|被火|冒火花|打火花|",
      "全是烟|满屋(子)?(都是)?烟|烟好大|好多烟|浓烟滚滚",
    ]),
    en: joinRe([
      "\\b(fire fire|fire (on|at) (the )?\\d+\\w* floor|\\d+\\w* floor fire|fire next door|next door fire|on fire|",
      "there'?s a fire|fire in|house fire|building is burning|burning|smoke (is )?coming|full of smoke|",
      "smoke everywhere|flames?|explosion|exploded)\\b",
    ]),
  },
  {
    subtype: "gas",
    call: 119,
    zh: /(煤气|燃气|天然气|液化气|瓦斯)(管|罐|灶|表)?.{0,8}(泄漏|泄露|漏气|漏了|在漏|味|臭味|爆)|闻到.{0,4}(煤气|燃气|天然气|液化气)|(煤气|燃气)中毒/,
    en: /\b(gas leak\w*|leaking gas|smell (of )?gas|smells (of|like) gas|gas smell)\b/,
  },
  {
    subtype: "violence",
    call: 110,
    zh: joinRe([
      "正在打人|在打人|打人了|有人被打|被人打|打我|打我们|打死了|要打死|打得|持刀|拿刀|拿着刀|提着刀|动刀|砍人|被砍|砍伤|捅人|被捅|捅伤|杀人|行凶|抢劫|打劫|抢东西|被抢|抢包|",
      "抢手机|抢钱|飞车抢|撬.{0,3}门|撬锁|踹门|绑架|劫持|家暴|打老婆|打孩子|打起来了|群殴|打群架|斗殴|闯进|撬门|入室|拿枪|有枪|追着砍|在砸|砸门|非礼|强奸|性侵|拐卖|拐走|",
      "偷孩子|互殴|在打架|打架.{0,6}(见血|流血|出血|血|动刀|拿刀)|(又|在|开始)动手了|动手打|动起手来|掐.{0,3}脖子|掐我|掐着我|砸人|(拿|抡|举)着?(砖头|砖|棍子|",
      "棍|铁棍|钢管|菜刀|斧头).{0,4}(打|砸|追|砍)|抢(小孩|孩子)|在打(一个|个)?(女的|男的|人|孩子|小孩|老人|老婆|媳妇|女人|男人|她|他|我)|(锁|关|反锁)在(家|",
      "屋|房间|屋里|家里|房里|厕所|里面)(里)?.{0,4}(出不去|不让|不给)|被(他|她|老公|丈夫|男人|老婆)?(锁|关|反锁)在(家|屋|房间)|不让(我|她|俺)出(去|门)|",
      // a partner's or relative's violence happening to the writer, or someone shouting to kill
      "被(我|俺)?(老公|丈夫|男人|老婆|媳妇|爸|妈|儿子|他|她)(又)?打了|(门)?锁了.{0,3}不让(我|她|俺)(走|离开|出)|",
      "喊着?要(捅|砍|杀|打)死|砸车",
    ]),
    en: joinRe([
      "\\b((?<!heart )attack(ing|ed|s)?|being beaten|(beating|hitting|punching|kicking|strangling|choking) (me|",
      "her|him|us|them|a|an|the|my|his|our|some|this|that)\\b|(has|have|got) a (knife|gun|machete|axe)|",
      "with a (knife|gun|machete|axe)|stabb\\w*|",
      "robb\\w*|kidnap\\w*|domestic violence|shooting|break(ing|s)? in(to)?|broke in(to)?|assault\\w*|rape\\w*|",
      "(fight|fighting|brawl)\\b.{0,20}\\b(blood|bleeding|knife|knives|weapon|bottle)s?|smashing (my|the|",
      "our|her) (door|window)|locked (me|her|him|us|them) in)\\b",
    ]),
  },
  {
    subtype: "drowning",
    call: 110,
    zh: /落水|溺水|掉河里|掉进河|掉到河|掉进水|掉水里|掉进池塘|掉进湖|掉井里|掉进井|掉进|淹死|被水冲走|冲走了|沉下去/,
    en: /\b(drown\w*|fell into the (river|water|lake|pond|well)|in the water)\b/,
  },
  {
    subtype: "collapse",
    call: 119,
    zh: /(墙|楼|房|脚手架|架子|塔吊|棚|屋顶|天花板)(倒了|塌)|压着.{0,2}(人|个)|塌了|倒塌|坍塌|塌方|塌下来|垮了|被埋|压在下面|压住了|被困|困在|困住|关在电梯|电梯里出不来|卡在电梯|电梯.{0,4}(停|卡|掉|坠)|洪水|大水冲|水淹|淹了|水漫|进水了|泥石流|滑坡|地震|决堤|溃坝/,
    en: joinRe([
      "\\b(trapped|stuck in (the|an) (lift|elevator)|(building|house|roof|wall|bridge|ceiling) (has )?collapsed|",
      "buried|flash flood|flood ?water (is )?(coming|rising|pouring)|water is rising|(house|home|flat|basement|",
      "we are|we're|we've been|we have been) (is |are |got |has been |have been )?flooded|flooding (now|",
      "into|in) (the|our|my)|flooding fast|water (is )?up to (my|our|his|her|the) (knees|waist|chest|neck)|",
      "landslide|earthquake)\\b",
    ]),
  },
  {
    subtype: "medical",
    call: 120,
    zh: /晕倒|昏倒|晕过去|昏过去|昏迷|不省人事|倒地不起|倒在地上|心脏病(发作|犯了|犯)|心梗|突发|大出血|流了很多血|流血不止|血流不止|满身是血|没有呼吸|没呼吸|没了呼吸|没气了|喘不上气|呼吸困难|抽搐|口吐白沫|中毒|休克|快不行了|不行了|叫不醒|没反应了|没有意识|失去意识|出车祸|车祸|撞伤|被撞|摔伤|摔下来|摔倒.{0,4}(起不来|流血|不动)|起不来了|在流血|头破血流|误喝|误服|误食|喝了消毒水|喝了84|难产|羊水破/,
    en: joinRe([
      "\\b(unconscious|not breathing|can'?t breathe|stopped breathing|heart attack|bleeding|(he|she|someone|",
      "somebody|man|woman|guy|lady|boy|girl|kid|child|mum|mom|dad|father|mother|grandma|grandpa|husband|",
      "wife|son|daughter|worker|i) (just )?(has |have )?collapsed|passed out|overdos\\w*|(having|had|has) a stroke|",
      "seizure(?! (list|of|order|notice|record|receipt))|poison\\w*|ambulance now|car accident|hit by a car|",
      "not responding|fainted)\\b",
    ]),
  },
];

/**
 * A missing child or an old person who cannot find the way home: a person word and "gone" (走丢,
 * 不见了, 没回家, 找不到了; "missing", "didn't come home", "can't find my son"). 走丢/走失/失踪 are read
 * alone; the weaker "not home, can't find" needs a sign of time passing or urgency (到现在, 两个小时,
 * 急, 快). Only the past guard applies: "到现在" here counts the hours, it is not a complaint.
 */
const MISSING_WHO_ZH = "(孩子|娃|娃儿|儿子|女儿|闺女|小孩|孙子|孙女|外孙|宝宝|学生|小朋友|老人|老父亲|老母亲|(我|俺)(妈|爸|爹|娘|奶奶|爷爷|姥姥|姥爷|外婆|外公))";
const MISSING_STRONG_ZH = new RegExp(
  `${MISSING_WHO_ZH}.{0,10}(走丢|走失|失踪|走散|被人带走|被陌生人带走)|(走丢|走失|失踪)了?.{0,3}${MISSING_WHO_ZH}`,
);
const MISSING_WEAK_ZH = new RegExp(
  `${MISSING_WHO_ZH}(?!的).{0,16}(不见了|丢了(?!.{0,2}(东西|钱|手机|车|书包|鞋|卡))|找不到了|找不到人|找不着`
  + "|没回家|没回来|没到家|人没了|人不见了|不见人影|联系不上)",
);
const MISSING_TIME_ZH = /到现在|现在|还没|一直|还是没|小时|分钟|半天|一下午|一上午|一晚上|一夜|整晚|到处|急|快|帮帮|救命|报警|找了/;
const MISSING_WHO_EN = "(\\d+ ?(yo|y o|yr old|year old)|kid|kids|child|children|son|daughter|boy|girl|toddler|baby"
  + "|grand(son|daughter|father|mother|ma|pa|dad|mum|mom)|year old|yr old|mum|mom|mother|dad|father)";
const MISSING_EN = new RegExp(
  `\\b${MISSING_WHO_EN}\\b.{0,40}\\b(missing(?! (school|class|classes|lessons|documents|payments?|out|the bus))`
  + "|gone missing|disappeared|wandered off|didn'?t come home|hasn'?t come home|has not come home|not (come|came) home"
  + "|never came home|(got|is) lost(?! in the [\\w ]{0,20}(system|process|paperwork|shuffle|mail|post)))\\b"
  + `|\\b(lost|can'?t find|cannot find|can not find|looking for) (my|our) (little |young |baby )?${MISSING_WHO_EN}\\b`,
);

function missing(n: Normalised): string | undefined {
  const strong = MISSING_STRONG_ZH.exec(n.c)?.[0];
  const weak = MISSING_WEAK_ZH.exec(n.c)?.[0];
  const timed = weak && (MISSING_TIME_ZH.test(n.c) || isPresent(n)) ? weak : undefined;
  const cue = strong ?? timed ?? MISSING_EN.exec(n.e)?.[0];
  if (!cue) return undefined;
  if ((PAST_ZH.test(n.c) || PAST_EN.test(n.e)) && !isPresent(n)) return undefined;
  // "走丢过好几次": a worry to report (cameras, a guard), not a search now
  if ((HABITUAL_ZH.test(n.c) || HABITUAL_EN.test(n.e) || /(走丢|走失|丢)过/.test(n.c)) && !isPresent(n)) return undefined;
  return cue;
}

/**
 * Water in a home where it meets electricity or traps someone: a burst pipe or water in the rooms
 * (水管爆了, 漫到客厅, 进水了; "burst pipe", "water pouring") together with sockets, wiring, the fuse
 * box, sparks or a person stuck — or a burst pipe with a cry for help. A pipe that burst last month
 * and was never fixed is a petition (the past guard, and no electricity).
 */
const WATER_ZH = /(水管|暖气管|自来水管|管道|水龙头|热水器|水箱|暖气片)(.{0,2})(爆|裂|崩|断|喷)|进水了|漫到|漫进|淹到|水淹|泡在水里|泡水|灌进|往下灌|漏水/;
const ELECTRIC_ZH = /插座|插头|电线|电闸|电箱|配电箱|电表箱|漏电|触电|电器|冒火花|电饭煲|冰箱/;
const WATER_EN = joinRe([
  "\\b(burst pipe|pipe (has )?(just )?burst|pipe (has )?broken|water ",
  "(is )?(pouring|gushing|everywhere|coming through)|",
  "flooding|flooded)\\b",
]);
const ELECTRIC_EN = joinRe([
  "\\b(sockets?|plugs?|outlets?|fuse ?box|fuses?|wiring|wires?|cables?|electrics?|electrical|sparks?|power points?|",
  "light (fitting|fixture|switch)s?|ceiling lights?|meter)\\b",
]);

function homeFlood(n: Normalised): string | undefined {
  const zh = WATER_ZH.exec(n.c);
  const en = WATER_EN.exec(n.e);
  if (!zh && !en) return undefined;
  const live = ELECTRIC_ZH.test(n.c) || ELECTRIC_EN.test(n.e) || /困在|被困|出不去/.test(n.c) || /\btrapped\b/.test(n.e);
  const urgentBurst = (/(爆|裂|崩|喷)/.test(zh?.[0] ?? "") || /burst/.test(en?.[0] ?? "")) && isPresent(n);
  if (!live && !urgentBurst) return undefined;
  if ((PAST_ZH.test(n.c) || PAST_EN.test(n.e)) && !isPresent(n)) return undefined;
  return zh?.[0] ?? en?.[0];
}

/**
 * A plain request for the emergency services: 快报警, 帮我叫救护车, 快打120; "send police", "call an
 * ambulance". Not when it tells of a call made before ("报警了也没人管", "they never sent police").
 */
const SERVICES_ZH = /(快|赶紧|马上|请|帮我|帮忙|求求你们?|快点)(报警|叫救护车|叫警察|打120|打110|打119|叫120|叫110|叫119|派警察|出警|叫消防)/;
const SERVICES_EN = joinRe([
  "\\b(?<!(didn'?t|never|not|won'?t|refused to|wouldn'?t) )(send|call|get) (the |an |a |some )?(police|ambulance|",
  "cops|fire (brigade|engine|truck)|paramedics)\\b|\\bcall (911|999|110|120|119)\\b",
]);

function servicesCall(cue: string): EmergencyCall {
  if (/救护车|120|ambulance|paramedic/.test(cue)) return 120;
  if (/119|消防|fire/.test(cue)) return 119;
  return 110;
}

function emergency(n: Normalised): Triage | undefined {
  const lost = missing(n);
  if (lost) return { kind: "emergency", subtype: "missing", call: 110, cue: lost };
  const present = isPresent(n);
  const past = PAST_ZH.test(n.c) || PAST_EN.test(n.e);
  const complaint = COMPLAINT_ZH.test(n.c) || COMPLAINT_EN.test(n.e);
  for (const r of EMERGENCY) {
    const cue = guardedCue(n, r);
    if (!cue) continue;
    if (!present && past) return undefined;
    // smoke from a grill, a chimney, burning straw or a building site is a nuisance, not a fire
    if (r.subtype === "fire" && /烟/.test(cue) && !present && SMOKE_SOURCE_ZH.test(n.c)) return undefined;
    if (r.subtype === "fire" && /smok|burning/.test(cue) && !present && SMOKE_SOURCE_EN.test(n.e)) return undefined;
    // a field bank, a road bed or a bridge that gave way, or sewage in the street, is a repair to ask for
    if (r.subtype === "collapse" && /塌|垮|倒|漫/.test(cue) && !present && INFRASTRUCTURE_ZH.test(n.c)
      && !/被埋|压着|压住|压在|被困|困在|有人|人在/.test(n.c)) return undefined;
    // a danger that recurs, nearly happened or might happen is a hazard to report
    if (!present && (HABITUAL_ZH.test(n.c) || HABITUAL_EN.test(n.e))) return undefined;
    if (!present && complaint) {
      // "着火了物业不管": the cue itself says it is happening — when in doubt, emergency
      const i = n.c.indexOf(cue);
      const tail = i >= 0 ? n.c.slice(i + cue.length, i + cue.length + 1) : "";
      if (!(tail === "了" || tail === "啦" || tail === "呀" || tail === "啊")) return undefined;
    }
    const t: Triage = { kind: "emergency", subtype: r.subtype, cue };
    if (r.call) t.call = r.call;
    return t;
  }
  const flood = homeFlood(n);
  if (flood) return { kind: "emergency", subtype: "flood", call: 119, cue: flood };
  const ask = SERVICES_ZH.exec(n.c)?.[0] ?? SERVICES_EN.exec(n.e)?.[0];
  if (ask && !(past && !present)) return { kind: "emergency", subtype: "generic", call: servicesCall(ask), cue: ask };
  return undefined;
}

// ---------------------------------------------------------------------------
// 5. Abuse (insult without a matter)

const INSULT_ZH = joinRe([
  "狗官|狗东西|狗日|狗屁|垃圾政府|垃圾单位|垃圾|傻逼|傻b|傻比|煞笔|沙比|傻叉|草泥马|操你|艹你|日你|你妈|他妈|妈的|妈逼|王八蛋|王八|混蛋|混账|废物|饭桶|蠢货|蠢猪|白痴|脑残|",
  "滚蛋|滚|去死|吃屎|畜生|畜牲|人渣|败类|贪官|狗腿子|不要脸|无耻|猪|寄生虫|蛀虫|吸血鬼|吃干饭|吃闲饭|白吃饭|尸位素餐|酒囊饭袋",
], "g");
const INSULT_EN = /\b(sb|nmsl|cnm|tmd|fuck\w*|f\*+k|shit\w*|idiots?|stupid|useless|bastards?|assholes?|wtf|bullshit|morons?|dumb|losers?|screw you|go to hell|damn you|pigs?|scum|corrupt pigs?)\b/g;

/** Topics of a matter: if one of these is left after the insults, it is not mere abuse. */
const MATTER_ZH = /路|灯|坏|修|漏|堵|拖欠|欠|工资|工钱|噪音|噪声|吵|扰民|污染|臭|排放|拆|补偿|赔|低保|补助|补贴|医保|社保|养老|房|住|违建|违章|物业|小区|学校|医院|看病|上学|土地|征地|宅基地|承包|占|水|电|燃气|煤气|天然气|暖|垃圾桶|垃圾站|清运|卫生|车|停车|收费|罚|押金|退|办|证|户口|审批|手续|不给|不理|不处理|不管|不回|没人|拖|扣|案子|案件|进度|投诉|反映|诉求|问题|事|判|仲裁|复议|贪污|受贿|树|狗咬|养狗|摊|油烟|施工|工地|厂|公司|单位|村|镇|街道|社区/;
const MATTER_EN = /\b(loud|siren|smoke|road|light|lamp|repair|fix\w*|broken|leak\w*|wage|salary|paid|pay|noise|noisy|pollut\w*|smell|demoli\w*|compensat\w*|housing|house|apartment|rent|school|hospital|land|water|electric\w*|heating|garbage|trash|parking|fee|fine|refund|permit|case|complaint|report\w*|problem|issue|street|neighbou?r|company|landlord|construction|factory|pension|insurance|ignored|months?|weeks?|years?)\b/;

function abuse(n: Normalised): string | undefined {
  const zh = n.c.match(INSULT_ZH);
  const en = n.e.match(INSULT_EN);
  if (!zh && !en) return undefined;
  const restC = n.c.replace(INSULT_ZH, "");
  const restE = n.e.replace(INSULT_EN, " ");
  // "垃圾" as a matter: 垃圾桶/垃圾站/垃圾清运/乱扔垃圾 is not an insult
  const garbageMatter = /垃圾(桶|站|箱|池|房|场|车|清运|堆|没人|不清|分类|焚烧|填埋)|(乱扔|倒|扔|清理|清运|堆放|焚烧|收)垃圾|垃圾(扔|乱|到处|遍地|成堆|太多|满地|发臭|臭|堆)/.test(n.c);
  if (garbageMatter) return undefined;
  const hasMatter = (MATTER_ZH.test(restC) && restC.length >= 4) || (MATTER_EN.test(restE) && restE.split(" ").length >= 4);
  if (hasMatter) return undefined;
  return (zh?.[0] ?? en?.[0]) as string;
}

// ---------------------------------------------------------------------------
// 6. Not a petition: spam, greeting, chitchat, question

const SPAM: Rule = {
  subtype: "spam",
  zh: /代开|发票|微信同号|加v|加微|加我微信|薇信|威信|扣扣|贷款|秒批|秒到|下款|网贷|无抵押|刷单|兼职|日赚|日结|月入|躺赚|博彩|娱乐城|棋牌|彩金|返利|优惠券|免费领|点击链接|低价出售|出售.{0,6}(账号|数据)|代办.{0,4}证|办假证|代办证件|裸聊|约炮|楼盘|特价|股票推荐|荐股|带你赚钱|投资理财/,
  en: /\b(https?|www|com|cn|net|biz|vx|v信|qq ?\d+|bit\.ly|click here|free money|loan|casino|crypto|bitcoin|earn \$?\d+|work from home|promo\w*|discount|viagra|buy now|whatsapp me|telegram)\b/,
};
const GREETING_ZH = joinRe([
  "^(你好|您好|你们好|大家好|哈喽|嗨|喂|在吗|在不在|在不|有人吗|有人在吗|早上好|早安|上午好|下午好|晚上好|晚安|打扰了|请问|hello|hi|hey|谢谢|谢谢你|多谢|感谢|好的|",
  "好|嗯|哦|ok|收到|辛苦了|再见|拜拜|拜|呵呵|哈哈|嘿|工作人员|客服|领导|同志|麻烦|谢了|谢啦|啊|呀|啦|了)+$",
]);
const GREETING_EN = joinRe([
  "^((hi|hello|hey|hiya|good (morning|afternoon|evening|night)|anyone there|is anyone there|are you there|",
  "thanks|thank you|thx|ty|cheers|ok|okay|bye|goodbye|bye bye|see you|yo|great|cool)( (there|everyone|all|",
  "guys|so much|a lot|very much))? ?)+$",
]);
const CHITCHAT: Rule = {
  subtype: "chitchat",
  zh: /天气|下雨吗|机器人|你是不是人|你是人|你是谁|你叫什么|你几岁|你多大|讲个笑话|说个笑话|笑话|陪我聊|聊聊天|聊天|无聊|吃了吗|吃饭了吗|你喜欢|你会唱|唱首歌|你真可爱|你好聪明|我好无聊|你是ai|人工智能|你是真人|测试一下|测试/,
  en: /\b(are you (a )?(robot|bot|human|real)|who are you|what'?s your name|tell me a joke|weather|how are you|bored|just testing)\b|^(testing|test)( \w+){0,2}$/,
};
const QUESTION: Rule = {
  subtype: "question",
  zh: /几点|上班时间|周六|周日|星期六|星期天|礼拜天|开门|关门|营业|下班|办公时间|工作时间|周末上班|节假日|地址|在哪|在什么地方|怎么走|电话多少|电话是|联系电话|热线|怎么投诉|如何投诉|怎样投诉|怎么反映|如何反映|在哪投诉|去哪投诉|怎么信访|怎么写信|需要什么材料|要带什么|要什么材料|流程是|怎么预约|能不能预约|怎么用|怎么操作|彩票|股票|推荐|哪里好吃|怎么买|多少钱一|网站是|公众号|有没有app|能视频吗|可以匿名吗|匿名|收费吗|要钱吗|能代理吗/,
  en: joinRe([
    "\\b(opening hours|office hours|what time|when (do|are) you (open|close)|where is (your|the) office|",
    "address|phone number|how (do|can) i (complain|file|submit|report|contact)|how to (complain|file|submit)|",
    "what documents|is it anonymous|do you (open|work) on|lottery|lotto|jackpot)\\b",
  ]),
};

// ---------------------------------------------------------------------------
// 7. Other procedures (诉访分离 and the like)

const SPORTS_COURT = joinRe([
  "\\b(basketball|tennis|football|badminton|volleyball|food|squash|",
  "netball)\\b.{0,40}\\bcourts?\\b|\\bcourts?\\b(?=.{0,40}\\b(basketball|",
  "tennis|badminton|volleyball)\\b)",
], "g");

const PROCEDURE: Rule[] = [
  {
    subtype: "discipline",
    zh: joinRe([
      "贪污|受贿|索贿|行贿|收受|收红包|收礼|吃回扣|回扣|违纪|纪委|监委|纪检|腐败|挪用|侵吞|截留|吃空饷|公款吃喝|公款旅游|公车私用|以权谋私|权钱交易|买官卖官|滥用职权|渎职|充当保护伞|",
      "保护伞|八项规定|作风问题|包养情妇|赌博的干部|吃拿卡要|雁过拔毛|层层克扣|优亲厚友|12388",
    ]),
    en: /\b(brib\w*|corrupt\w*|embezzl\w*|kickbacks?|abuse of power|discipline inspection)\b/,
  },
  {
    subtype: "labour_arbitration",
    zh: /劳动仲裁|仲裁委|仲裁院|仲裁裁决|仲裁庭|仲裁结果|申请仲裁|劳动争议仲裁|仲裁书|仲裁/,
    en: /\b(labou?r arbitration|arbitration|arbitral)\b/,
  },
  {
    subtype: "admin_reconsideration",
    zh: /行政复议|复议|对.{0,12}(处罚|处罚决定|行政决定|罚款决定).{0,6}不服|不服.{0,8}(处罚决定|行政处罚|罚款决定)|行政处罚决定/,
    en: /\b(administrative (reconsideration|review)|appeal (the|a|this) (fine|penalty|decision))\b/,
  },
  {
    subtype: "court",
    zh: /法院|法官|判决|裁定书|判决书|判了|判得|判的|再审|申请再审|抗诉|一审|二审|终审|上诉|起诉|诉讼|立案庭|执行局|强制执行|申请执行|执行款|执行不到位|执行难|执行了|不执行|老赖|失信被执行|涉诉|开庭|庭审|律师费|调解书|检察院/,
    en: /\b(court|judge|judg(e)?ment|verdict|retrial|appeal|lawsuit|sued|sue|enforcement of)\b/,
  },
];

// ---------------------------------------------------------------------------
// 8. Status of an existing case

const CASE_NUMBER = /\bxf-?\d{6}-?\d{3,5}\b/;
const STATUS_REF_ZH = joinRe([
  "(我|俺)(的|那个|那件|那|上次那个|上回那个)(事|事情|案子|件|问题|投诉|诉求)|上回说的|上回反映|那件事|那个事|我的案子|我的案件|我的事|我的问题|我的投诉|我的信访|我的件|我的诉求|",
  "我反映的|我投诉的|我提交的|我申请的|我上次|我之前|上次反映|之前反映|以前反映|上回反映|上次投诉|之前投诉|上次提交|上次说的|上次那个|之前那个|上个月反映|上周反映|前几天反映|前天反映|",
  "昨天反映|已经反映|反映过|投诉过|编号|件号|受理号|案件号|受理单|xf\\d{8,}|",
  // a receipt is ours unless another body gave it (派出所给了个回执就没消息了 is a complaint about the police)
  "(?<!(派出所|公安|警察|法院|仲裁|公司|银行|单位|医院|学校|厂|平台|快递).{0,6})回执",
]);
const STATUS_ASK_ZH = joinRe([
  "怎么样|咋样|咋回事|办好|办完|办妥|好了没|了没|有信|信儿|有人管没|管没管|解决没|落实了|进度|进展|结果|回复|答复|回音|消息|动静|办得|办了|处理得|处理了吗|处理没|到哪|到哪一步|",
  "多久|什么时候|几时|有人管吗|有没有人|吗|没有下文|没下文|没人回|还没回|石沉大海|查询|查一下|查查|催一下|催办|催促",
]);
/** "我上周投诉的…", "之前反映的…": a reference to something already filed */
const STATUS_REF2_ZH = /(我|俺|上次|之前|以前|上回|前几天|上周|上个月|昨天|前天|前段时间).{0,6}(反映|投诉|提交|举报|申请|信访|上访|报|说)的/;
/** Places and acts that make a message a matter even when it reads as abuse, spam or a question. */
const MATTER_PLACE_ZH = /河|江|湖|沟|渠|塘|井|桥|倒|偷|堆|烧|挖|砍|建筑|门口|楼|家|田|地里|山|林/;

/**
 * True when the message names a matter (a topic, place or act of a complaint: 路灯坏了, 河边倒垃圾,
 * wages, noise …). The triage step answers abuse, spam, questions and small talk without a form
 * only when this is false, so a complaint the rules misread as one of those still reaches the form.
 */
export function mentionsMatter(text: string): boolean {
  const n = normalise(text);
  return MATTER_ZH.test(n.c) || MATTER_PLACE_ZH.test(n.c) || MATTER_EN.test(n.e);
}

/** Longest abuse, question or small talk answered without a form: 12 Chinese characters or 8 English words. */
export const SHORT_MESSAGE = { zh: 12, en: 8 } as const;

/**
 * True when a message is short enough to be mere abuse, a question or small talk (see
 * {@link SHORT_MESSAGE}); anything longer may carry a complaint the rules do not know, and goes
 * to the form. Spam is judged by {@link mentionsMatter} alone (adverts are long).
 */
export function isShortMessage(text: string): boolean {
  const n = normalise(text);
  return n.c.length > 0 ? n.c.length <= SHORT_MESSAGE.zh : n.e.split(" ").filter(Boolean).length <= SHORT_MESSAGE.en;
}

/** Asks that mean "where is it" wherever they stand */
const STATUS_ASK_ANYWHERE_ZH = /查一下|查查|帮我查|催一下|催办|催促|进度|进展|有结果|有回复|有答复|有消息|有下文|没下文|没有下文|石沉大海/;
const STATUS_DIRECT_ZH = joinRe([
  "查询进度|查进度|进度查询|办理进度|处理进度|案件进度|查询案件|查询一下.{0,4}(案件|投诉|信访)|催办|有结果了吗|有回复了吗|(怎么|咋)还没(有)?(人)?(回复|答复|处理|结果|联系我|",
  "回我|给我回|通知我|给我打电话|回电话)|(处理|办理|受理|办)(到|到了)哪(一步|了|儿|里)",
]);
const STATUS_EN = /\b(status of my|my case|my complaint|my report|my petition|case number|reference number|ticket)\b.{0,40}\b(status|update|progress|news|result|happen\w*|going|any|when|still|yet)\b|\b(any (update|news|progress)|check (the )?(status|progress)|what'?s the status|follow(ing)? up on|status update)\b/;

/**
 * A status ask with nothing else in it: "进度", "有人管没", "处理到哪一步了", "咋样了？" — once polite
 * filler (请问, 那个, 现在, 了, 吗…) is taken away, only the ask is left.
 */
const STATUS_ONLY_ZH = joinRe([
  "^(请问|你好|您好|那个|我的|俺的|现在|到底|究竟|就是|想问|问一下)*(有人管|有没有人管|进度|进展|处理到哪(一步)?|到哪(一步)?|咋样|怎么样|有结果|有消息|有信儿?|有回音|有下文|",
  "有人处理|结果呢|进度呢)(了)?(没|吗|呢|没有|啊|呀|如何|怎样|咋样)*$",
]);
/** English asks about a report already made: "when will I hear back", "has anyone read my complaint". */
const STATUS2_EN = joinRe([
  "\\b(did (anyone|anybody|someone) (read|look at|see|check|get|open)|hear back|get(s|ting)? back to me|",
  "heard back|has (anyone|anybody|someone) (read|seen|looked at|picked up|handled|checked|opened)|(is|was|",
  "has) my (complaint|report|case|petition|request) (being |been )?(handled|processed|looked at|dealt with|",
  "received|read|seen)|what'?s happening with (it|my)|still waiting (to hear|for (a |an |any )?(reply|answer|",
  "update|response|news))|(any|no) (word|reply|response) (on|about|yet))\\b",
]);

function status(n: Normalised): string | undefined {
  const num = CASE_NUMBER.exec(n.e);
  if (num) return num[0];
  const only = STATUS_ONLY_ZH.exec(n.c);
  if (only) return only[0];
  const d = STATUS_DIRECT_ZH.exec(n.c);
  if (d) return d[0];
  const r = STATUS_REF_ZH.exec(n.c) ?? STATUS_REF2_ZH.exec(n.c);
  if (r) {
    const rest = n.c.slice((r.index ?? 0) + r[0].length);
    const a = STATUS_ASK_ZH.exec(rest) ?? STATUS_ASK_ANYWHERE_ZH.exec(n.c);
    if (a) return r[0] + "…" + a[0];
  }
  const e = STATUS_EN.exec(n.e) ?? STATUS2_EN.exec(n.e);
  if (e) return e[0];
  return undefined;
}

// ---------------------------------------------------------------------------

export function classifyTriage(text: string): Triage {
  const n = normalise(typeof text === "string" ? text : "");
  if (n.c.length === 0) return { kind: "not_petition", subtype: "empty" };

  const sh = selfHarm(n);
  if (sh) return sh;

  const victim = victimCue(n);
  if (victim) return { kind: "emergency", subtype: "violence", call: 110, cue: victim[0] };

  const th = threat(n);
  if (th) return { kind: "threat", cue: th };

  const em = emergency(n);
  if (em) return em;

  const ab = abuse(n);
  if (ab) return { kind: "abuse", cue: ab };

  const spam = firstMatch(n, SPAM);
  if (spam) return { kind: "not_petition", subtype: "spam", cue: spam };

  const st = status(n);
  if (st) return { kind: "status", cue: st };

  // a basketball or food court is a place, not a court of law
  const courts = { c: n.c, e: n.e.replace(SPORTS_COURT, " "), u: n.u };
  for (const r of PROCEDURE) {
    const cue = firstMatch(r.subtype === "court" ? courts : n, r);
    if (cue) return { kind: "other_procedure", subtype: r.subtype, cue };
  }

  if (GREETING_ZH.test(n.c) || GREETING_EN.test(n.e)) return { kind: "not_petition", subtype: "greeting", cue: n.c || n.e };
  const hasMatter =
    MATTER_ZH.test(n.c.replace(/投诉|反映|问题|事|办公|办事|来访|信访|电话|热线|地址|网站|公众号/g, "")) ||
    MATTER_EN.test(n.e.replace(/\b(complain\w*|complaint|report\w*|problem|issue|case|file|office|phone)\b/g, " "));
  if (!hasMatter) {
    const chit = firstMatch(n, CHITCHAT);
    if (chit) return { kind: "not_petition", subtype: "chitchat", cue: chit };
  }
  const q = firstMatch(n, QUESTION);
  if (q && (!hasMatter || (n.c.length <= 8 && /吗|呢|哪|几|怎么|如何|什么/.test(n.c)))) return { kind: "not_petition", subtype: "question", cue: q };
  if (!hasMatter) {
    const chit = firstMatch(n, CHITCHAT);
    if (chit) return { kind: "not_petition", subtype: "chitchat", cue: chit };
    // a few characters with no matter at all ("？？", "嗯嗯", "1") is not a petition
    if (n.c.length <= 3) return { kind: "not_petition", subtype: "greeting", cue: n.c };
  }
  return { kind: "petition" };
}
