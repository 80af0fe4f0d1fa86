/**
 * Word lists for finding a person's name after a cue such as 我叫 or 姓名. Heuristic by nature:
 * a Chinese name is accepted only when it starts with a common surname and is not a common word.
 */

/** Common single-character surnames (about the 300 most frequent, minus ones that are mostly function words). */
export const SURNAMES = new Set(
  ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢" +
    "姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施" +
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛" +
    "曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫" +
    "米柏宗瞿桂佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝封谈匡鞠惠荆乐冀郁胥班储栗燕" +
    "楚鄢劳谌奚皮粟冼蔺楼满闻厉伊仝郜阚权强帅屠豆朴盖练廉禹井祖漆巴丰支卿狄计索宣晋初扈晁芮阙戈伏鹿薄邸雍辜羊" +
    "乌母裘亓修邰赫杭况宿鲜印逯隆茹诸战慕危银亢嵇湛宾戎勾茅揭尉冶束檀衣展昝智幸奉植衡富尧闭").split(""),
);

/** Two-character surnames; a name starting with one may be four characters long. */
export const COMPOUND_SURNAMES = ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒", "夏侯", "端木"];

/**
 * Characters that end a name: function words, verbs and nouns that follow a name in a sentence
 * (本人张伟在…, 我叫李娜今年…, 联系人王强电话…) and rarely appear inside one.
 */
export const NAME_STOP = new Set(
  ("他她我你的了在是于上下去来到把被给和与跟向从对就都也还又已很要想会能说叫让请帮因为所但而这那里么什怎哪吗呢吧啊呀住" +
    "今昨前近本此年月日号村镇乡区县市省路街楼室组户工房钱款费元块买卖租打找问报投诉反映电话手身证微信姓名岁" +
    "老儿孩友邻居同事现目已经常次二三四五六七八九十几个们每该并再才只被受等").split(""),
);

/** Places end in these; a "name" right before one is a place (本人石桥村…). */
export const PLACE_SUFFIX = new Set("村镇乡县区市省街路巷屯庄组队湾坝寨河山".split(""));

/** Words that start with a surname character but are not names (本人曾经…, 我叫师傅…). */
export const NOT_NAMES = [
  "曾经", "强烈", "强调", "高度", "严重", "常年", "常常", "万分", "安全", "安排", "方便", "方面", "明确", "时常", "马上", "周边", "周末",
  "左右", "任何", "全家", "全部", "全村", "谢谢", "包括", "师傅", "邻居", "车主", "房东", "老板", "物业", "保安", "城管",
  "警察", "医生", "司机", "孙子", "孙女", "父母", "母亲", "父亲", "于是", "向您", "特此", "申请", "承包", "田地", "林地",
  "金额", "工资", "石头", "江边", "文件", "宁可", "易燃", "乔迁", "贾某", "王某", "李某", "张某", "刘某", "陈某",
  "党员", "高中", "初中", "江苏", "江西", "安徽", "吉林", "甘肃", "宁夏", "武汉", "成都", "苏州", "温州", "常州", "张贴", "许诺",
  "高血", "车祸", "向领", "马上",
];

/** Capitalised English words after "I am" that are not names (I am Chinese, I am Very…). */
export const NOT_EN_NAMES = new Set([
  "A", "An", "The", "Not", "Very", "So", "Really", "Still", "Now", "Just", "Here", "Sorry", "Also", "Writing",
  "Calling", "Chinese", "English", "American", "British", "Living", "Going", "Afraid", "Worried", "Angry",
  "Happy", "Sick", "Tired", "Retired", "Disabled", "Unemployed", "From", "In", "At", "On", "Your", "Their", "His",
  "Her", "My", "Our", "This", "That", "Unable", "Fed", "Done", "Please", "Mr", "Mrs", "Ms", "Miss", "Dr",
  "Resident", "Residents", "Owner",
]);
