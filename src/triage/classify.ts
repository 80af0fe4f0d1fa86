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
}

export function normalise(text: string): Normalised {
  const t = (text ?? "").slice(0, MAX_CHARS).normalize("NFKC").toLowerCase();
  const c = t.replace(/[\s\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}\p{Extended_Pictographic}]+/gu, "");
  const e = t
    .replace(/[’‘`]/g, "'")
    .replace(/[^\p{L}\p{N}'\s-]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return { c, e };
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
const PRESENT_ZH = /正在|(?<!到|至|直到)现在(?!还是没|还没|也没|都没|仍|依然|还不|也不|都不)|马上|赶紧|赶快|快来|快点|快救|救命|救救|求救|紧急|急急|十万火急|刚刚|刚才|还在|又在|一直在冒|在打我|在打人|此刻|眼下|报警/;
const PRESENT_EN = /\b(help|now|right now|urgent|hurry|quick|quickly|emergency|asap|please come|currently|is happening)\b/;

/** Markers that the event is over. */
const PAST_ZH = /上个月|上月|去年|前年|年前|月前|周前|星期前|天前|上周|上星期|上礼拜|之前|以前|曾经|那次|那年|当时|已经灭|已经扑灭|被扑灭|灭了以后|已经修好|已经处理|已经解决|事后|后来|事情过去|那天|上次/;
const PAST_EN = /\b(last (month|year|week|time)|ago|previously|back in|was put out|used to|in the past)\b/;

/** Frames of a complaint about services, bills, hazards or aftermath. */
const COMPLAINT_ZH = /投诉|反映一下|想反映|要反映|太慢|很慢|来得慢|来的慢|迟迟|半天才|不管|不处理|没人管|没有人管|不作为|推诿|赔偿|医药费|住院费|报销|补偿|费用|收费|太贵|涨价|隐患|整改|没修|不修|不给|罚款|规范|乱收|占用|被占|堵塞|检查|演练|演习|宣传|培训|安全教育|保险|理赔|多收|账单|欠费|停气|停电|停水|到现在|至今|一直没|没有解决/;
const COMPLAINT_EN = /\b(complain|complaint|too slow|slow to|took .{0,20} to (come|arrive)|bill|fee|charge|price|hazard|inspection|drill|compensation|insurance|never fixed|not fixed|still not)\b/;

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
  zh: /不想(再)?活|活不下去|活不成了|想死|要去死|去死算了|死了算了|一死了之|死给你们看|死在你们|自杀|轻生|寻死|寻短见|自尽|自焚|结束生命|结束自己|了结自己|了断自己|不活了|活着没意思|活着没什么意思|没有活路|没活路了/,
  en: /\b(kill (myself|himself|herself)|killing (myself|himself|herself)|end (his|her) life|suicid\w*|end my life|end it all|don'?t want to live|do not want to live|want to die|wanna die|hurt myself|self harm|take my own life|no reason to live)\b/,
};
const SELF_HARM_ACT: Rule = {
  subtype: "act",
  zh: /跳楼|跳河|跳江|跳湖|跳海|跳桥|跳下去|喝农药|喝了农药|服毒|吃安眠药|吃了安眠药|割腕|上吊|卧轨|站在楼顶|爬上楼顶|爬到楼顶|楼顶上要跳|要往下跳/,
  en: /\b(jump(ing)? off|jump from|about to jump|going to jump|drank pesticide|took (a lot of )?pills|overdosed|slit (his|her|my) wrists?|hang (himself|herself|myself))\b/,
};
const OTHER_PERSON_ZH = /(有人|有个人|有个|有一个|一个人|一个|农民工|女孩|男孩|小孩|女生|男生|学生|老太|老头|小伙子|他|她|我(妈|爸|哥|姐|弟|妹|老公|老婆|丈夫|妻子|儿子|女儿|孩子|家|朋友|同事|邻居|父亲|母亲|奶奶|爷爷)|邻居|老人|孩子|男的|女的|小伙|姑娘|工人|大爷|大妈|楼上|对面|隔壁|同学)/;
const OTHER_PERSON_EN = /\b(someone|somebody|a man|a woman|a guy|a girl|a worker|he|she|my (mother|mom|mum|father|dad|son|daughter|brother|sister|husband|wife|friend|neighbou?r))\b/;
const INGESTED_ZH = /喝了农药|农药喝了|喝农药了|服毒|吃了安眠药|安眠药吃了|割腕了|割了腕|吃了一瓶|吃了很多药/;
const INGESTED_EN = /\b(drank pesticide|took (a lot of )?pills|overdosed|slit (his|her) wrists?)\b/;

/** Someone (whoever) has said they will kill or burn the writer: "扬言要泼汽油烧死我". */
const VICTIM2_ZH = /(扬言|威胁|放话|恐吓|说要|喊着要|叫嚣).{0,8}(砍|杀|捅|打死|弄死|烧死|砸死|泼汽油|泼硫酸).{0,3}(我|俺|咱)/;

function selfHarm(n: Normalised): Triage | undefined {
  const strong = firstMatch(n, SELF_HARM_STRONG);
  let cue = strong;
  if (!cue) {
    const act = guardedCue(n, SELF_HARM_ACT);
    if (!act) return undefined;
    // an act long past ("去年他跳楼了，单位不给说法") is a grievance, unless something says now
    const past = (PAST_ZH.test(n.c) || PAST_EN.test(n.e)) && !(PRESENT_ZH.test(n.c) || PRESENT_EN.test(n.e));
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
const VICTIM_EN = /\b(he|she|they|someone|my (husband|wife|neighbou?r|ex|landlord|boss)|a man|the man)\b.{0,30}\b(threaten\w*|says? he will|said he would|going to|gonna|wants? to)\b.{0,20}\b(kill|stab|hurt|burn|shoot|beat)\b.{0,10}\b(me|us|my family|my kids?)\b/;

// ---------------------------------------------------------------------------
// 3. Threats by the writer against others or the bureau

const THREAT_ZH = [
  /(我|老子|俺|我们)[^他她]{0,8}(要|就|会|去|得|准备|打算|非|一定|迟早|早晚|肯定)[^他她]{0,10}(炸|烧了|烧死|放火|点了|砍|杀|捅|砸|弄死|整死|宰了|灭了|报复|拼命|拼了|同归于尽|血债血偿|泼汽油)/,
  /(炸了|炸掉|烧了|烧掉|砍了|杀了|捅了|弄死|宰了|灭了|砸了|一把火).{0,4}(你们|政府|信访|局|办公室|大楼|村委|村主任|主任|书记|镇长|乡长|县长|领导|干部|局长|官|那个|这帮|他们|他|她|全家)/,
  /(汽油|炸药|炸弹|雷管|硫酸|刀|斧头).{0,12}(你们|政府|信访|局里|办公室|大楼|村委|领导|干部|书记|镇长|同归于尽|烧了|炸了|砍了|算账)/,
  /同归于尽|血债血偿|让你们(都)?(不得好死|付出代价|见血)|别怪我不客气|鱼死网破|你们等着瞧|走着瞧|要你们的命|要你命|杀你全家|弄死你/,
];
const THREAT_EN =
  /\b(i|i'll|i will|i'm going to|im going to|i am going to|i'm gonna|i gonna|we will|we'll)\b.{0,20}\b(burn|bomb|blow up|kill|shoot|stab|hurt|attack|destroy|get revenge|make you pay)\b|\b(you('ll| will) (regret|pay|be sorry))\b/;

function threat(n: Normalised): string | undefined {
  for (const re of THREAT_ZH) {
    const m = re.exec(n.c);
    if (m) return m[0];
  }
  const m = THREAT_EN.exec(n.e);
  if (m && !/\b(myself)\b/.test(n.e)) return m[0];
  return undefined;
}

// ---------------------------------------------------------------------------
// 4. Emergencies, in order

const EMERGENCY: Rule[] = [
  {
    subtype: "fire",
    call: 119,
    zh: /着火|着大火|起火|冒火|窜火|火光|蹿火|失火|火灾|冒烟|冒浓烟|冒黑烟|浓烟|烧起来|烧着了|火很大|火好大|大火|火势|火苗|火烧|爆炸了|炸了锅炉|燃起来|烧起|被火/,
    en: /\b(on fire|there'?s a fire|fire in|house fire|building is burning|burning|smoke (is )?coming|full of smoke|flames?|explosion|exploded)\b/,
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
    zh: /正在打人|在打人|打人了|有人被打|被人打|打我|打我们|打死了|要打死|打得|持刀|拿刀|拿着刀|提着刀|动刀|砍人|被砍|砍伤|捅人|被捅|捅伤|杀人|行凶|抢劫|打劫|抢东西|被抢|抢包|抢手机|抢钱|飞车抢|撬.{0,3}门|撬锁|踹门|绑架|劫持|家暴|打老婆|打孩子|打起来了|群殴|打群架|斗殴|闯进|撬门|入室|拿枪|有枪|追着砍|在砸|砸门|非礼|强奸|性侵|拐卖|拐走|偷孩子/,
    en: /\b((?<!heart )attack(ing|ed|s)?|being beaten|beating (me|her|him|us)|hitting (me|her|him|us)|has a (knife|gun)|with a (knife|gun)|stabb\w*|robb\w*|kidnap\w*|domestic violence|shooting|break(ing|s)? in(to)?|broke in(to)?|assault\w*|rape\w*|fighting)\b/,
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
    en: /\b(trapped|stuck in (the|an) (lift|elevator)|(building|house|roof|wall|bridge|ceiling) (has )?collapsed|buried|flood\w*|landslide|earthquake)\b/,
  },
  {
    subtype: "medical",
    call: 120,
    zh: /晕倒|昏倒|晕过去|昏过去|昏迷|不省人事|倒地不起|倒在地上|心脏病(发作|犯了|犯)|心梗|突发|大出血|流了很多血|流血不止|血流不止|满身是血|没有呼吸|没呼吸|没了呼吸|没气了|喘不上气|呼吸困难|抽搐|口吐白沫|中毒|休克|快不行了|不行了|叫不醒|没反应了|没有意识|失去意识|出车祸|车祸|撞伤|被撞|摔伤|摔下来|摔倒.{0,4}(起不来|流血|不动)|起不来了|在流血|头破血流|误喝|误服|误食|喝了消毒水|喝了84|难产|羊水破/,
    en: /\b(unconscious|not breathing|can'?t breathe|stopped breathing|heart attack|bleeding|collapsed|passed out|overdos\w*|stroke|seizure|poison\w*|ambulance now|car accident|hit by a car|not responding|fainted)\b/,
  },
];

function emergency(n: Normalised): Triage | undefined {
  const present = PRESENT_ZH.test(n.c) || PRESENT_EN.test(n.e);
  const past = PAST_ZH.test(n.c) || PAST_EN.test(n.e);
  const complaint = COMPLAINT_ZH.test(n.c) || COMPLAINT_EN.test(n.e);
  for (const r of EMERGENCY) {
    const cue = guardedCue(n, r);
    if (!cue) continue;
    if (!present && past) return undefined;
    // smoke from a grill, a chimney, burning straw or a building site is a nuisance, not a fire
    if (r.subtype === "fire" && /烟/.test(cue) && !present && SMOKE_SOURCE_ZH.test(n.c)) return undefined;
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
  return undefined;
}

// ---------------------------------------------------------------------------
// 5. Abuse (insult without a matter)

const INSULT_ZH = /狗官|狗东西|狗日|狗屁|垃圾政府|垃圾单位|垃圾|傻逼|傻b|傻比|煞笔|沙比|傻叉|草泥马|操你|艹你|日你|你妈|他妈|妈的|妈逼|王八蛋|王八|混蛋|混账|废物|饭桶|蠢货|蠢猪|白痴|脑残|滚蛋|滚|去死|吃屎|畜生|畜牲|人渣|败类|贪官|狗腿子|不要脸|无耻|猪|寄生虫|蛀虫|吸血鬼/g;
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
const GREETING_ZH = /^(你好|您好|你们好|大家好|哈喽|嗨|喂|在吗|在不在|在不|有人吗|有人在吗|早上好|早安|上午好|下午好|晚上好|晚安|打扰了|请问|hello|hi|hey|谢谢|谢谢你|多谢|感谢|好的|好|嗯|哦|ok|收到|辛苦了|再见|拜拜|呵呵|哈哈|嘿|工作人员|客服|领导|同志|麻烦)+$/;
const GREETING_EN = /^(hi|hello|hey|hiya|good (morning|afternoon|evening)|anyone there|is anyone there|are you there|thanks|thank you|ok|okay|bye|yo)( (there|everyone|all|guys))?$/;
const CHITCHAT: Rule = {
  subtype: "chitchat",
  zh: /天气|下雨吗|机器人|你是不是人|你是人|你是谁|你叫什么|你几岁|你多大|讲个笑话|说个笑话|笑话|陪我聊|聊聊天|聊天|无聊|吃了吗|吃饭了吗|你喜欢|你会唱|唱首歌|你真可爱|你好聪明|我好无聊|你是ai|人工智能|你是真人|测试一下|测试/,
  en: /\b(are you (a )?(robot|bot|human|real)|who are you|what'?s your name|tell me a joke|weather|how are you|bored|just testing)\b|^(testing|test)( \w+){0,2}$/,
};
const QUESTION: Rule = {
  subtype: "question",
  zh: /几点|上班时间|周六|周日|星期六|星期天|礼拜天|开门|关门|营业|下班|办公时间|工作时间|周末上班|节假日|地址|在哪|在什么地方|怎么走|电话多少|电话是|联系电话|热线|怎么投诉|如何投诉|怎样投诉|怎么反映|如何反映|在哪投诉|去哪投诉|怎么信访|怎么写信|需要什么材料|要带什么|要什么材料|流程是|怎么预约|能不能预约|怎么用|怎么操作|彩票|股票|推荐|哪里好吃|怎么买|多少钱一|网站是|公众号|有没有app|能视频吗|可以匿名吗|匿名|收费吗|要钱吗|能代理吗/,
  en: /\b(opening hours|office hours|what time|when (do|are) you (open|close)|where is (your|the) office|address|phone number|how (do|can) i (complain|file|submit|report|contact)|how to (complain|file|submit)|what documents|is it anonymous|do you (open|work) on)\b/,
};

// ---------------------------------------------------------------------------
// 7. Other procedures (诉访分离 and the like)

const PROCEDURE: Rule[] = [
  {
    subtype: "discipline",
    zh: /贪污|受贿|索贿|行贿|收受|收红包|收礼|吃回扣|回扣|违纪|纪委|监委|纪检|腐败|挪用|侵吞|截留|吃空饷|公款吃喝|公款旅游|公车私用|以权谋私|权钱交易|买官卖官|滥用职权|渎职|充当保护伞|保护伞|八项规定|作风问题|包养情妇|赌博的干部/,
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
const STATUS_REF_ZH = /我的案子|我的案件|我的事|我的问题|我的投诉|我的信访|我的件|我的诉求|我反映的|我投诉的|我提交的|我申请的|我上次|我之前|上次反映|之前反映|以前反映|上回反映|上次投诉|之前投诉|上次提交|上次说的|上次那个|之前那个|上个月反映|上周反映|前几天反映|前天反映|昨天反映|已经反映|反映过|投诉过|编号|件号|受理号|回执|案件号|受理单|xf\d{8,}/;
const STATUS_ASK_ZH = /怎么样|进度|进展|结果|回复|答复|回音|消息|动静|办得|办了|处理得|处理了吗|处理没|到哪|到哪一步|多久|什么时候|几时|有人管吗|有没有人|吗|没有下文|没下文|没人回|还没回|石沉大海|查询|查一下|查查|催一下|催办|催促/;
/** "我上周投诉的…", "之前反映的…": a reference to something already filed */
const STATUS_REF2_ZH = /(我|上次|之前|以前|上回|前几天|上周|上个月|昨天|前天|前段时间).{0,6}(反映|投诉|提交|举报|申请|信访|上访|报)的/;
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
const STATUS_DIRECT_ZH = /查询进度|查进度|进度查询|办理进度|处理进度|案件进度|查询案件|查询一下.{0,4}(案件|投诉|信访)|催办|有结果了吗|有回复了吗|怎么还没(有)?(回复|答复|处理|结果)/;
const STATUS_EN = /\b(status of my|my case|my complaint|my report|my petition|case number|reference number|ticket)\b.{0,40}\b(status|update|progress|news|result|happen\w*|going|any|when|still|yet)\b|\b(any (update|news|progress)|check (the )?(status|progress)|what'?s the status|follow(ing)? up on|status update)\b/;

function status(n: Normalised): string | undefined {
  const num = CASE_NUMBER.exec(n.e);
  if (num) return num[0];
  const d = STATUS_DIRECT_ZH.exec(n.c);
  if (d) return d[0];
  const r = STATUS_REF_ZH.exec(n.c) ?? STATUS_REF2_ZH.exec(n.c);
  if (r) {
    const rest = n.c.slice((r.index ?? 0) + r[0].length);
    const a = STATUS_ASK_ZH.exec(rest) ?? STATUS_ASK_ANYWHERE_ZH.exec(n.c);
    if (a) return r[0] + "…" + a[0];
  }
  const e = STATUS_EN.exec(n.e);
  if (e) return e[0];
  return undefined;
}

// ---------------------------------------------------------------------------

export function classifyTriage(text: string): Triage {
  const n = normalise(typeof text === "string" ? text : "");
  if (n.c.length === 0) return { kind: "not_petition", subtype: "empty" };

  const sh = selfHarm(n);
  if (sh) return sh;

  const victim = VICTIM_ZH.exec(n.c) ?? VICTIM2_ZH.exec(n.c) ?? VICTIM_EN.exec(n.e);
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

  for (const r of PROCEDURE) {
    const cue = firstMatch(n, r);
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
