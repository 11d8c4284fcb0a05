<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shapes the global walk (blf, speed-dial-8, speed-dial-100, anywhere, devices, params) into the answer of Cloud
  Softphone's global external provisioning:

  <root>
    <quickDial maxQuickDialReplacePriority="21">      each answer replaces what earlier answers delivered
      <item id="blf-{user id}" priority="20"><displayName/><uri/></item>     monitored users, in BLF order
      <item id="sd8-{code}"    priority="20"><displayName/><uri/></item>     speed dial 8, by code
      <item id="sd100-{code}"  priority="20"><displayName/><uri/></item>     speed dial 100, by code
    </quickDial>
    <dialActions>
      <dialAction id="call-from-other-phone">                              when offered (see below)
        <label/> <url/> <method/> <contentType/> <postData/>                how the app calls the action
      </dialAction>
      <dialAction id="call-from-other-phone" action="remove"/>              when not (anymore) offered
      <dialAction id="{static id}"> <label/> <url/> <method/> <postData/> </dialAction>   tenant's static ones
    </dialActions>
  </root>

  The inner structure of <dialAction> follows Acrobits' web service definition fields (Url, Method, ContentType,
  PostData); adapt it here, in a tenant override, if your app version expects other names.

  A tenant override (xslt/tenants/<tenant>/global.xsl) imports this file and replaces templates of the default
  mode (e.g. match="*:userDetails" for a quick dial item). Public (namespace p = urn:provisioning-proxy): none of
  its own; from lib/common.xsl: p:first, p:full-name (the BLF item's name), p:dial-number (every quick dial URI
  made from a number: '+1 (202) 555-0100' becomes '+12025550100'; speed dial entries without one are left out).
  Names in pp (urn:provisioning-proxy:private) are internals that may change.
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:p="urn:provisioning-proxy"
                xmlns:pp="urn:provisioning-proxy:private"
                exclude-result-prefixes="#all"
                expand-text="yes">

  <xsl:import href="lib/common.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:template match="/">
    <xsl:apply-templates select="walk"/>
  </xsl:template>

  <xsl:template match="walk">
    <root>
      <quickDial maxQuickDialReplacePriority="21">
        <xsl:apply-templates select="blf/*/*:monitoredUserList/*:userDetails"/>
        <!-- an entry without a number dials nothing: no item (an empty one would sit in the app's list) -->
        <xsl:apply-templates select="speed-dial-8/*/(*:speedDial8Entry | *:speedDialEntry)[p:dial-number(*:phoneNumber)]">
          <xsl:sort select="pp:code(.)" data-type="number"/>
        </xsl:apply-templates>
        <xsl:apply-templates select="speed-dial-100/*/*:speedDial100Entry[p:dial-number(*:phoneNumber)]">
          <xsl:sort select="pp:code(.)" data-type="number"/>
        </xsl:apply-templates>
      </quickDial>
      <dialActions>
        <xsl:apply-templates select="params/dial-actions"/>
      </dialActions>
    </root>
  </xsl:template>

  <!-- a monitored user: name, and the shortest way to reach them -->
  <xsl:template match="*:userDetails">
    <xsl:variable name="userId" select="normalize-space(*:userId)"/>
    <item id="blf-{replace($userId, '[^A-Za-z0-9._@-]', '_')}" priority="20">
      <displayName>{p:full-name(., $userId)}</displayName>
      <uri>{(p:dial-number(*:extension), p:dial-number(*:number), 'sip:' || $userId)[1]}</uri>
    </item>
  </xsl:template>

  <xsl:template match="*:speedDial8Entry | *:speedDialEntry | *:speedDial100Entry">
    <xsl:variable name="kind" select="if (local-name() = 'speedDial100Entry') then 'sd100' else 'sd8'"/>
    <item id="{$kind}-{pp:code(.)}" priority="20">
      <!-- the name shows the number as written, the URI as dialled -->
      <displayName>{(normalize-space(*:description)[.], normalize-space(*:phoneNumber))[1]}</displayName>
      <uri>{p:dial-number(*:phoneNumber)}</uri>
    </item>
  </xsl:template>

  <xsl:template match="dial-actions">
    <xsl:choose>
      <xsl:when test="@call-from-other-phone = 'true' and pp:has-other-phone(ancestor::walk)">
        <dialAction id="call-from-other-phone">
          <label>{@label}</label>
          <url>{@url}</url>
          <method>POST</method>
          <contentType>application/x-www-form-urlencoded</contentType>
          <postData>token=%account[X-xsi-token]%&amp;number=%number%</postData>
        </dialAction>
      </xsl:when>
      <xsl:otherwise>
        <dialAction id="call-from-other-phone" action="remove"/>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:for-each select="static">
      <dialAction id="{@id}">
        <label>{@label}</label>
        <url>{@url}</url>
        <method>{@method}</method>
        <xsl:if test="normalize-space(@post-data)">
          <postData>{@post-data}</postData>
        </xsl:if>
      </dialAction>
    </xsl:for-each>
  </xsl:template>

  <!-- BroadWorks Anywhere locations, or a device that is not a soft client (a desk phone), ring on click-to-dial -->
  <xsl:function name="pp:has-other-phone" as="xs:boolean">
    <xsl:param name="walk" as="element(walk)"/>
    <xsl:variable name="softClients" select="$walk/params/soft-client-types/type ! normalize-space()"/>
    <xsl:sequence select="exists($walk/anywhere/*/*:locations/*:location[normalize-space(*:phoneNumber)])
                          or exists($walk/devices//*:accessDevice[not(normalize-space(*:deviceType) = $softClients)]
                                                                 [not(contains(*:deviceType, 'Business Communicator'))])"/>
  </xsl:function>

  <xsl:function name="pp:code" as="xs:integer">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="xs:integer((normalize-space($entry/*:speedCode)[. castable as xs:integer], '0')[1])"/>
  </xsl:function>

</xsl:stylesheet>
