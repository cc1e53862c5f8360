"""Generate `data/dev_requests.csv`, the routing dev set (开发集), deterministically.

Run: `/tmp/probe/bin/python data/make_dev_requests.py` (writes next to this file).

Every row is one resident request labelled with a catalogue item code from
`doorstep/catalog/seed_data.py`. The core sentences below were written by hand, separately
from the catalogue's own `examples`, so a router that learns from the catalogue is not simply
tested on its own training text. Around the core the generator adds what real messages carry:
openings and closings from WeChat groups, addresses, names, phone numbers, unrelated context,
typos, traditional characters and, sometimes, a second sentence about the same matter.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

from opencc import OpenCC

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from doorstep.catalog.seed_data import ITEMS  # noqa: E402

SEED = 20240611
ROWS_PER_LABEL = 21
TEST_SHARE = 0.2

# Hand-written resident phrasings, independent of the catalogue examples.
CORES: dict[str, list[str]] = {
    "PARTY-MEMBER-TRANSFER": [
        "原单位党支部撤了，我的组织关系要落到社区",
        "大学毕业回来了，学校党委让我把关系转到居住地",
        "党员关系一直挂在人才中心，能转到咱们社区党委不",
        "转接党组织关系的系统里显示待接收，麻烦给点一下",
    ],
    "PARTY-MEMBER-ACTIVITY": [
        "单位通知在职党员要到社区报到，我该找谁",
        "七一有没有党员集中学习，我们几个老党员想参加",
        "主题党日活动能不能安排在周末，上班的党员没时间",
        "社区党支部过组织生活提前通知一下我",
    ],
    "PARTY-DUES": [
        "这个季度的党费还没交，社区什么时候收",
        "退休以后党费按多少比例交",
        "手机交党费的小程序叫什么名字",
    ],
    "PARTY-APPLICATION": [
        "我儿子二十岁在家待业，想写入党申请书交社区行吗",
        "入党要考察多久，社区能发展党员吗",
        "想向党组织靠拢，申请书交到哪里",
    ],
    "PARTY-VOLUNTEER-REGISTER": [
        "看到群里招志愿者，我也想报一个",
        "周末有空，想去社区帮忙做点公益",
        "志愿服务平台注册不上去，一直提示错误",
        "我们公司团建想来社区做一次义务劳动",
    ],
    "PARTY-VOLUNTEER-CERT": [
        "孩子在社区站岗做了好多次志愿者，学校要出证明",
        "我要一份参加志愿服务的证明，单位评优用",
        "志愿者服务时长证明能不能打印出来盖个章",
        "高中综合素质评价需要社区出具的社会实践证明",
    ],
    "PARTY-LOVE-FUND": [
        "群里每天一块钱的那个爱心基金是怎么回事",
        "爱心基金今年的收支明细什么时候公示",
        "我家老邻居住院没钱，能不能从爱心基金里帮一点",
    ],
    "PARTY-RESIDENT-COUNCIL": [
        "小区那块闲置的地怎么用，能不能让居民投票决定",
        "社区搞改造之前能不能先听听我们居民的意见",
        "我有个建议想在居民议事会上说一下",
        "工程完了要开评议会，我们楼想派个代表",
    ],
    "PARTY-SELF-ORGANISATION": [
        "我们楼几个退休的想组个邻里互助队，帮楼里老人买菜",
        "居民自发成立的巡逻队能在社区备案吗",
        "想成立一个宝妈互助群，社区能给个地方活动吗",
    ],
    "PARTY-WOMEN-CHILDREN": [
        "隔壁家的孩子父母都在外地打工，爷爷奶奶管不了",
        "单亲妈妈带孩子太难了，妇联能帮点什么",
        "有个小孩老是一个人在外面游荡，身上有伤",
    ],
    "GOV-RESIDENCE-CERT": [
        "医保局要我提供在这边实际居住的证明",
        "老家养老金认证需要这边社区开个住在这里的证明",
        "办银行卡柜员说要居委会开的居住证明",
        "给我爸开一个长期居住在本小区的证明，他医保转过来要用",
        "开居住证明要带房产证还是租房合同",
    ],
    "GOV-STUDENT-HARDSHIP-CERT": [
        "女儿考上大学了，申请国家助学金要居委会盖章",
        "学校的家庭经济困难学生认定申请表需要社区意见",
        "孩子学校让开贫困证明，我们家是低保户",
        "大学生助学贷款要社区出家庭困难情况证明",
    ],
    "GOV-REMOTE-MEDICAL": [
        "老人跟我们在外省住，看病能直接刷医保吗",
        "在外地做手术花了好几万，回来怎么报销",
        "异地长期居住备案要什么手续",
        "孩子在外地上学生病了，医保怎么结算",
    ],
    "GOV-MEDICAL-BOOKLET": [
        "医保就医记录册满了，听说现在社区就能换",
        "病历本用完最后一页了，换新本要去街道吗",
        "就医记录册丢了，社区能不能视频办",
    ],
    "GOV-ELDERLY-SUBSIDY-CERT": [
        "老爷子九十多了，每个季度的认证能不能上门",
        "高龄补贴要刷脸认证，我妈不会用手机",
        "高龄老人补贴停发了，说是没按时认证",
        "流动服务点来我们小区的时候能不能顺便做高龄认证",
    ],
    "GOV-PENSION-ENROLMENT": [
        "我是灵活就业的，想交城乡居民养老保险",
        "农村户口的养老保险在哪里交",
        "居民养老保险一年交多少钱，交满多少年能领",
        "我老婆没上过班，能不能给她交个居民养老",
    ],
    "GOV-UNEMPLOYMENT-REG": [
        "公司裁员我被裁了，要不要去登记失业",
        "领失业保险金要先办什么登记",
        "刚辞职在家，办个失业登记有什么用",
    ],
    "GOV-DISABILITY-CERT": [
        "我爸截肢了，想给他办残疾人证",
        "孩子自闭症，能评残疾等级吗",
        "残疾证换新证要带什么",
        "视力残疾怎么鉴定，在哪里申请",
    ],
    "GOV-MINIMUM-LIVING": [
        "我下岗多年身体也不好，能不能申请最低生活保障",
        "一家三口没有收入，低保要怎么申请",
        "吃低保的条件是人均收入多少",
        "低保被取消了，能不能重新申请",
    ],
    "GOV-TEMP-ASSISTANCE": [
        "家里顶梁柱突发脑溢血住院，急需救助",
        "房子漏雨塌了一半，一家人没地方住，有没有救急的钱",
        "遇到急事了，临时救助怎么申请最快",
    ],
    "GOV-COMPREHENSIVE-ASSIST": [
        "我们是低收入家庭，孩子上学看病开支太大，还能申请什么帮扶",
        "除了低保以外还有没有别的帮扶政策",
        "帮扶评审什么时候开，我们家的申请交了",
    ],
    "GOV-ONE-CHILD-ALLOWANCE": [
        "独生子女父母奖励金退休后在哪里申请",
        "我只有一个孩子，光荣证找不到了，能补办吗",
        "独生子女补贴每个月多少钱",
    ],
    "GOV-EMPLOYMENT-ASSIST": [
        "想找个离家近的工作，社区有没有招工信息",
        "下岗了想学个手艺，有免费培训吗",
        "残疾人就业有没有推荐",
        "社区的保洁岗位还招人吗，我能干",
    ],
    "GOV-RESIDENCE-PERMIT": [
        "从外省过来打工，居住证在哪办",
        "孩子上学要居住证，我的还没办",
        "租房子住的外地人要不要到社区登记",
    ],
    "GOV-HOUSEHOLD-REG": [
        "新生儿报户口要带什么",
        "户口想从老家迁过来，需要什么条件",
        "结婚了想把户口迁到老公这边",
    ],
    "GOV-BIRTH-REG": [
        "怀二胎了，要不要在社区登记",
        "生育登记网上办不了，社区能帮忙吗",
        "生孩子的生育服务证在哪办",
    ],
    "GOV-MEDICAL-INSURANCE": [
        "今年城乡居民医保交了没有怎么查",
        "新生儿的居民医保怎么参保",
        "老人医保卡里没钱了，是不是没续费",
        "居民医保缴费的截止日期是哪天",
    ],
    "GOV-FUNERAL-BENEFIT": [
        "老母亲前两天过世了，丧葬补助金在哪申请",
        "家里老人去世了，养老金还在发怎么停",
        "父亲是退休职工，去世后家属能领什么",
    ],
    "GOV-VETERAN": [
        "退伍军人光荣牌什么时候上门挂",
        "我儿子在部队当兵，军属有什么照顾",
        "退役军人优待证在哪申领",
    ],
    "GOV-PUBLIC-HOUSING": [
        "租不起房子了，公租房怎么申请",
        "排了两年的保障房还没轮到",
        "住房困难补贴条件是什么",
    ],
    "LIFE-CANTEEN": [
        "社区食堂今天中午有什么菜",
        "长者食堂晚上开不开，想给老人打饭",
        "食堂的饭菜涨价了，老人吃不起",
        "老年餐厅的卡充值在哪",
    ],
    "LIFE-MEAL-SUBSIDY": [
        "听说低保老人在食堂吃饭只要三块钱",
        "我父亲六十五岁低保户，吃饭补贴怎么办",
        "老年助餐补贴这个月怎么没扣",
    ],
    "LIFE-MEAL-DELIVERY": [
        "老太太卧床不起，一日三餐能不能送到家",
        "八十五岁老人每天中午能送饭上门吗",
        "送餐的师傅今天没来",
    ],
    "LIFE-ELDERLY-ALONE": [
        "楼上的孤老好几天没下楼了，敲门也没人应",
        "我妈一个人在家，我出差一个月，能不能请社区多关照",
        "独居的老人家里能不能装个一键呼叫",
        "隔壁独居老爷子报纸堆在门口好几天了",
    ],
    "LIFE-HOME-VISIT": [
        "我行动不方便，社区的人能不能到家里来办",
        "老人瘫痪在床，能请工作人员上门一趟吗",
        "我们包楼的社工好久没来了",
    ],
    "LIFE-HOME-CARE": [
        "老人失能了，能不能申请上门护理",
        "有没有人上门给老人洗澡理发",
        "长期护理保险评估要等多久",
    ],
    "LIFE-DAY-CARE": [
        "老人白天一个人在家不放心，有没有地方能托",
        "社区的日托中心收不收失智老人",
        "想送老人去养老院，哪家近一点",
    ],
    "LIFE-WELFARE-MARKET": [
        "每个月的便民集市还有没有免费理发",
        "社区集市有修雨伞磨剪刀的吗",
        "老人针灸是在公益集市上做吗",
    ],
    "LIFE-REPAIR-PLUMBING": [
        "一楼下水道返水，满屋子都是臭水",
        "马桶堵了怎么都通不开，物业说不归他们管",
        "楼下污水井满了往外溢",
        "自来水管漏了一地，总阀在哪关",
        "厨房的下水管堵死了，洗碗水下不去",
    ],
    "LIFE-REPAIR-UTILITIES": [
        "整栋楼都没电了，冰箱里东西要坏了",
        "停水也不提前通知，家里老人等着做饭",
        "我家总跳闸，是不是线路老化了",
        "高层水压不够，洗澡都没水",
    ],
    "LIFE-HEATING-BOILER": [
        "家里的壁挂炉一直报故障，屋里冷得待不住",
        "暖气片冰凉，供暖公司电话打不进去",
        "煤改气以后的壁挂炉谁负责维修",
        "地暖不热，老人冻感冒了",
    ],
    "LIFE-ELEVATOR": [
        "电梯卡在三楼不动了，里面有人",
        "我们单元电梯坏了一个礼拜了，老人下不了楼",
        "电梯门关不上，一直开开关关",
    ],
    "LIFE-GAS": [
        "厨房闻到很大的燃气味，怎么办",
        "燃气公司说要入户安检，是真的吗",
        "天然气卡充不进去钱",
    ],
    "LIFE-HOUSEKEEPING": [
        "门锁坏了打不开，想找个开锁的",
        "家里要大扫除，有靠谱的保洁推荐吗",
        "洗衣机坏了，社区有没有上门修的师傅",
    ],
    "LIFE-SMART-PHONE-HELP": [
        "医院挂号都要用手机，我不会弄",
        "手机交水电费怎么操作，教一下",
        "老人想视频通话，不会用微信",
    ],
    "LEGAL-MEDIATION": [
        "楼上楼下因为漏水的事吵翻了，想找人调解",
        "邻居家空调外机对着我家窗户吹，说了也不改",
        "和隔壁因为过道的事闹得很僵，请社区出面",
        "两家人因为孩子打架的事谈不拢",
    ],
    "LEGAL-FAMILY-SUPPORT": [
        "我七十多了，儿女都不来看我，也不给生活费",
        "几个子女互相推，谁都不管老人",
        "女儿说老人的房子给了儿子就该儿子养",
    ],
    "LEGAL-WILL-INHERITANCE": [
        "老伴走了，房子在他名下，我和孩子怎么继承",
        "想把房子留给孙子，遗嘱怎么写",
        "手写的遗嘱有没有法律效力",
        "爷爷的存款几个叔叔要分，法律上怎么算",
    ],
    "LEGAL-PROPERTY-ADVICE": [
        "朋友借我的钱三年了不还，电话也不接",
        "租的房子退租了房东扣了全部押金",
        "有没有律师能帮我看看这份购房合同",
    ],
    "LEGAL-LABOUR-DISPUTE": [
        "干了半年活，工钱一直拖着不给",
        "公司让我自己辞职，不给补偿金",
        "加班从来不给加班费，怎么维权",
    ],
    "LEGAL-MARRIAGE-FAMILY": [
        "我老公经常动手打我，我该怎么办",
        "离婚了前夫一直不给孩子抚养费",
        "夫妻闹离婚，房子怎么分",
    ],
    "LEGAL-AID": [
        "家里穷，打官司请律师的钱拿不出来",
        "司法所能不能给我安排个免费律师",
        "我是残疾人，想申请免费法律援助",
    ],
    "LEGAL-ANTI-FRAUD": [
        "我爸天天去听讲座，买了好多保健品",
        "接到自称公安的电话说我涉嫌洗钱，让我把钱转到安全账户",
        "网上投资被骗了好几万，能追回来吗",
    ],
    "LEGAL-CONSUMER": [
        "游泳馆倒闭了，卡里还有两千块退不了",
        "超市卖过期食品，投诉到哪里",
        "培训机构跑路了，学费怎么要回来",
    ],
    "HEALTH-FAMILY-DOCTOR": [
        "想给爸妈签个家庭医生",
        "家庭医生签约以后能上门看病吗",
        "我签约的家庭医生换人了吗，一直联系不上",
    ],
    "HEALTH-VACCINATION": [
        "老人打肺炎疫苗要不要钱",
        "宝宝该打疫苗了，社区医院要预约吗",
        "流感疫苗什么时候开始打",
    ],
    "HEALTH-CHECKUP": [
        "今年老年人体检通知了吗",
        "免费体检要不要空腹去",
        "去年体检的报告一直没拿到",
    ],
    "HEALTH-CHRONIC": [
        "血压高，能不能每周来社区量一量",
        "糖尿病人社区有定期随访吗",
        "测血糖的试纸社区有没有",
    ],
    "HEALTH-MENTAL": [
        "最近总是失眠焦虑，想找个人聊聊",
        "孩子休学在家不出门，好像有点抑郁",
        "邻居老人情绪很低落，说活着没意思",
    ],
    "HEALTH-REHAB-AIDS": [
        "老人骨折出院了，需要借个轮椅",
        "助行器在哪里能租到",
        "家里需要护理床，社区能借吗",
    ],
    "HEALTH-FREE-CLINIC": [
        "社区请专家来看病是哪天",
        "义诊有没有看颈椎腰椎的",
        "想听健康讲座，讲高血压饮食的",
    ],
    "HEALTH-MATERNAL-CHILD": [
        "刚怀孕，在哪建母子手册",
        "产后访视怎么预约",
        "孩子八个月了，儿童保健体检在哪做",
    ],
    "CULTURE-LIBRARY": [
        "社区的图书室能借书回家看吗",
        "图书室新书什么时候上架",
        "想捐些儿童绘本给社区图书角",
    ],
    "CULTURE-ACTIVITY": [
        "中秋节社区搞不搞活动",
        "社区组织的文艺演出在哪里看",
        "小孩周末有什么活动可以参加",
        "想报名社区的读书节活动",
    ],
    "CULTURE-INTEREST-CLUB": [
        "想跟着社区舞蹈队跳舞",
        "社区书法班还收学员吗",
        "想找几个人一起打乒乓球，社区有球队吗",
    ],
    "CULTURE-VENUE-BOOKING": [
        "想借社区的活动室开个兴趣小组",
        "多功能厅周末有空吗，我们想排练",
        "活动室怎么登记使用",
    ],
    "CULTURE-CHILDREN": [
        "孩子下午四点放学，家里没人，社区能看一下吗",
        "暑假托管班今年还办不办",
        "放学后的作业辅导班怎么报",
    ],
    "CULTURE-SENIOR-LEARNING": [
        "老年大学的书画班在社区有教学点吗",
        "想学用智能手机拍照，有课没有",
        "老人想学点东西，社区有什么课",
    ],
    "CULTURE-FITNESS": [
        "小区里的漫步机坏了一个，踩上去晃",
        "单杠断了很危险",
        "能不能在空地装一个乒乓球台",
    ],
    "CULTURE-ETHNIC-UNITY": [
        "我们是哈萨克族，老人汉语不好，办事能不能有人陪",
        "古尔邦节社区组织联欢吗",
        "有没有会维语的志愿者帮忙翻译",
    ],
    "MGMT-PETS": [
        "小区的狗到处拉屎，踩了一脚",
        "大型犬不牵绳在小区乱跑，孩子吓哭了",
        "楼里有人养了好多只猫，味道太大",
        "邻居的狗半夜一直叫，吵得睡不着",
    ],
    "MGMT-NOISE": [
        "楼下跳广场舞的音响太响了",
        "对面工地晚上十二点还在打桩",
        "楼上每天凌晨拖椅子，咚咚响",
        "楼下KTV每天唱到半夜",
    ],
    "MGMT-STREET-LIGHT": [
        "小区路灯不亮，晚上回家黑灯瞎火的",
        "楼道的感应灯坏了，老人摔了一跤",
        "门口那根路灯一闪一闪的",
        "后面那条小路没有路灯，能不能装一个",
    ],
    "MGMT-PROPERTY-DISPUTE": [
        "物业收了钱什么都不干，垃圾都没人扫",
        "物业费凭什么一年涨两次",
        "业主想成立业委会，物业阻挠",
        "物业把地下车位卖给外人了",
    ],
    "MGMT-ILLEGAL-BUILD": [
        "一楼把院子扩出去盖了间房",
        "楼顶违章搭了个铁皮棚子",
        "有人在绿化带里乱搭乱建",
        "邻居封阳台往外扩了一米多",
    ],
    "MGMT-EBIKE": [
        "楼上有人把电瓶拿回家充电",
        "电瓶车堵在楼梯口，人都过不去",
        "充电桩不够用，大家只能拉线",
    ],
    "MGMT-GARBAGE": [
        "垃圾站好几天没清了，苍蝇乱飞",
        "楼下的垃圾桶被人翻得乱七八糟",
        "家里的旧床垫放哪里扔",
        "有人把装修垃圾倒在绿化带里",
    ],
    "MGMT-GREENING": [
        "窗户前的树长太高了，挡光还招虫",
        "有棵枯树随时要倒",
        "小区的草好久没剪，都半人高了",
    ],
    "MGMT-WALL-DANGER": [
        "小区后面的围墙歪了，下面是小孩玩的地方",
        "楼上外墙皮一块块往下掉",
        "房子的承重墙裂缝越来越大",
    ],
    "MGMT-ABANDONED-CABLE": [
        "楼门口垂下来好几根黑线，不知道是谁家的",
        "墙上的废旧电缆乱七八糟，能不能清一下",
        "光缆断了挂在树上没人管",
    ],
    "MGMT-PARKING": [
        "小区里车乱停，救护车都进不来",
        "有辆破车停了几年，轮胎都瘪了",
        "我的车位天天被别人占",
    ],
    "MGMT-ROAD-FACILITY": [
        "门口的路坑坑洼洼，下雨全是水",
        "井盖缺了一块，晚上看不见很危险",
        "楼梯台阶碎了一块",
    ],
    "MGMT-FIRE-SAFETY": [
        "楼梯间堆满了杂物，万一着火跑不出去",
        "消防栓里面是空的",
        "有人在消防通道停车",
    ],
    "MGMT-RENTAL-HOUSING": [
        "隔壁房子隔成了七八间租出去",
        "出租房要不要去社区备案",
        "楼里住进来好多租客，进进出出不安全",
    ],
    "MGMT-HIGH-THROW": [
        "楼上有人往下扔剩饭",
        "晾的衣服被楼上扔下来的烟头烫了个洞",
        "高空掉下来一个酒瓶子，差点砸到孩子",
    ],
    "MGMT-PEST-CONTROL": [
        "家里进了老鼠，楼下垃圾房是老鼠窝",
        "夏天蚊子太多了，能不能统一消杀",
        "楼道里蟑螂成群",
    ],
    "MGMT-ACCESS-SECURITY": [
        "单元门的门禁卡刷不开",
        "车库里的电动车被偷了",
        "小区监控一个都不亮",
    ],
    "MGMT-OLD-ESTATE-RENEWAL": [
        "我们楼六层没电梯，老人上下楼太难",
        "老小区改造能不能把管道也换了",
        "加梯的费用怎么分摊",
    ],
}

OPENINGS = [
    "",
    "",
    "",
    "",
    "你好，",
    "您好！",
    "在吗？",
    "在吗在吗",
    "麻烦问下，",
    "请问一下，",
    "打扰一下，",
    "社区的同志你好，",
    "网格员你好，",
    "急！！",
    "喂，",
    "领导好，",
    "@社区小王 ",
    "[抱拳]",
    "不好意思打扰了，",
    "姐，",
    "书记您好，",
    "哈喽，",
    "咨询个事，",
    "问个事啊，",
    "求助！",
    "老师好，",
    "同志，",
]
CLOSINGS = [
    "",
    "",
    "",
    "",
    "谢谢",
    "谢谢！",
    "麻烦尽快处理",
    "急急急",
    "多谢了🙏",
    "在线等",
    "有消息回我一下",
    "辛苦了",
    "谢谢了啊",
    "。。。",
    "！！",
    "拜托了",
    "[玫瑰][玫瑰]",
    "等你们回复",
    "能办的话我明天过去",
    "麻烦了",
    "好吗？",
    "怎么弄啊",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶"
GIVEN = [
    "建国",
    "秀英",
    "桂兰",
    "志强",
    "丽",
    "伟",
    "敏",
    "军",
    "芳",
    "海燕",
    "玉梅",
    "德华",
    "小红",
]
COMPOUNDS = [
    "阳光花园",
    "幸福里",
    "锦绣苑",
    "西交通巷",
    "白马小区",
    "太白新村",
    "张骞小区",
    "金桥新村",
    "梅园",
    "东湖名苑",
    "和平里",
    "建设新村",
    "红星小区",
    "新华苑",
    "南苑",
    "翠竹园",
]
CONTEXT = [
    "已经好几天了",
    "之前打过电话没人管",
    "我家老人腿脚不好",
    "上次问过了没说清楚",
    "我白天上班，晚上才有空",
    "跟物业说过了",
    "孩子在外地",
    "我今年七十三了",
    "楼里好几户都有这个情况",
    "昨天晚上发现的",
    "我是新搬来的",
    "前天在群里也问过",
    "我刚从医院回来",
    "这事拖了快一个月",
    "我不太会打字，说得不清楚别介意",
    "这个要怎么弄我也不懂",
    "邻居让我来问问",
    "现在人在外面",
]
RAMBLE = [
    "我跟你们说一下情况，事情是这样的",
    "我们家三口人，我爱人身体一直不好，孩子在外地读书，平时就我一个人忙里忙外",
    "本来不想麻烦你们的，但是实在没办法了，找了好几个地方都说不归他们管",
    "上个月我去街道问过一次，人家让我回社区来问，我就又跑回来了",
    "我年纪大了记性不好，你们说的那些手续我也记不住，最好能写在纸上给我",
    "我们这个小区是九几年的老房子，住的大多是老人，年轻人都搬走了",
    "昨天下午三点多我在楼下碰到网格员小张，她让我在群里说一下",
    "我也不知道这个事该找谁，就先在群里问问，大家知道的也告诉我一声",
    "你们工作也忙，我理解，但是这个事情对我们家真的很重要",
    "前几年也遇到过类似的情况，那时候是老主任帮忙解决的",
    "今天早上出门买菜的时候又看见了，想想还是得说一下",
    "我儿子让我在手机上问，说现在都可以网上办了，我试了半天也没弄明白",
]
ADDRESS_FORMS = [
    "我是{c}{b}号楼{u}单元{r}的",
    "我住{c}{b}栋{r}室",
    "{c}{b}号院",
    "我家在{c}{b}幢{u}单元",
    "{c}这边",
    "我们{c}{b}号楼",
]
TYPOS = {
    "的": "地",
    "在": "再",
    "已": "以",
    "哪": "那",
    "吗": "嘛",
    "做": "作",
    "账": "帐",
    "证明": "正明",
    "登记": "等记",
    "申请": "申清",
    "社区": "社去",
    "楼道": "楼到",
    "怎么": "咋",
    "什么": "啥",
    "没有": "没",
    "电梯": "电t",
    "补贴": "补帖",
}


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def _address(rng: random.Random) -> str:
    form = rng.choice(ADDRESS_FORMS)
    return form.format(
        c=rng.choice(COMPOUNDS),
        b=rng.randint(1, 36),
        u=rng.randint(1, 6),
        r=f"{rng.randint(1, 18)}0{rng.randint(1, 4)}",
    )


def _typo(text: str, rng: random.Random) -> str:
    keys = [k for k in TYPOS if k in text]
    if not keys:
        return text
    key = rng.choice(keys)
    return text.replace(key, TYPOS[key], 1)


def _compose(core: str, rng: random.Random, pool: list[str]) -> str:
    """Wrap one hand-written core in the noise real messages carry, in a random order."""
    parts: list[str] = []
    if rng.random() < 0.05:  # sent before the sentence was finished, as on a phone
        core = core[: max(6, len(core) * 2 // 3)]
    if rng.random() < 0.35:
        parts.append(_address(rng))
    if rng.random() < 0.15:
        parts.append(f"我姓{rng.choice(SURNAMES)}")
    if rng.random() < 0.1:
        parts.append(f"我是{rng.choice(SURNAMES)}{rng.choice(GIVEN)}")
    body = [core]
    if rng.random() < 0.4:
        body.append(rng.choice(CONTEXT))
    if rng.random() < 0.25:  # a second sentence about the same matter: the long messages
        other = rng.choice(pool)
        if other != core:
            body.append(other)
    if rng.random() < 0.1:
        body.extend(rng.sample(CONTEXT, 3))
    if rng.random() < 0.08:  # the long, rambling message: the matter buried in a story
        body = rng.sample(RAMBLE, rng.randint(2, 5)) + body + rng.sample(RAMBLE, 2)
    if rng.random() < 0.3:
        rng.shuffle(body)
    parts.extend(body)
    sep = rng.choice(["，", "，", "。", " ", "！", ","])
    text = sep.join(parts)
    text = rng.choice(OPENINGS) + text
    closing = rng.choice(CLOSINGS)
    if closing:
        text += rng.choice(["，", "。", " ", ""]) + closing
    if rng.random() < 0.12:
        text += rng.choice(["电话", "联系电话：", "tel ", "手机"]) + _phone(rng)
    if rng.random() < 0.2:
        text = _typo(text, rng)
    return text


def build_rows(seed: int = SEED) -> list[dict[str, str]]:
    """All rows, with a fixed stratified `split` (about 80/20).

    The test rows of a label are built only from its *last* hand-written core, which no
    training row uses: the fixed split measures phrasing the router has not seen, not just
    new noise around a known sentence. 5-fold CV mixes cores and is the easier figure.
    """
    rng = random.Random(seed)
    to_traditional = OpenCC("s2t")
    codes = [str(item["code"]) for item in ITEMS]
    missing = set(codes) - set(CORES)
    unknown = set(CORES) - set(codes)
    if missing or unknown:
        raise SystemExit(f"cores out of sync with catalogue: missing={missing} unknown={unknown}")
    n_test = round(ROWS_PER_LABEL * TEST_SHARE)
    rows: list[dict[str, str]] = []
    for code in codes:
        seen: set[str] = set()
        for split, pool, wanted in (
            ("train", CORES[code][:-1], ROWS_PER_LABEL - n_test),
            ("test", CORES[code][-1:], n_test),
        ):
            made = 0
            for attempt in range(1000):
                if made == wanted:
                    break
                core = pool[attempt % len(pool)]
                text = _compose(core, rng, pool)
                if rng.random() < 0.1:
                    text = to_traditional.convert(text)
                if text in seen:
                    continue
                seen.add(text)
                rows.append({"text": text, "label": code, "split": split})
                made += 1
    rng.shuffle(rows)
    return rows


def main() -> None:
    rows = build_rows()
    out = Path(__file__).resolve().parent / "dev_requests.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["text", "label", "split"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {out}")


if __name__ == "__main__":
    main()
